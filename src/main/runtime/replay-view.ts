/** A replay's progress as the API shows it. Pure. */
import type { ReplayStatus } from '../../shared/api-contract';
import type { ReplayProgress } from '../protocol/commands';

export function replayView(progress: ReplayProgress | null, error: string | null): ReplayStatus {
  if (error) return { state: 'failed', from: null, progress: 0, message: error };
  if (!progress) return { state: 'idle', from: null, progress: 0, message: null };
  return {
    state: progress.progress >= 1 ? 'done' : 'running',
    from: new Date(progress.from).toISOString(),
    progress: progress.progress,
    message: null,
  };
}
