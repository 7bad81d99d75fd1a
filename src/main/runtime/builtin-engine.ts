/**
 * The built-in engine behind the engine seam: the windowing and alert engine in a worker thread
 * of this process (workers/engine-worker.ts), reading the log and checkpointing into PostgreSQL.
 */
import { join } from 'node:path';
import type { HistoryStatus } from '../../shared/api-contract';
import type { PartitionOffset } from '../log/event-log';
import type { LogBackend } from '../log/open-event-log';
import type {
  EngineCommand,
  EngineReplies,
  EngineWorkerData,
  ReplayProgress,
} from '../protocol/commands';
import type { EngineStatus } from '../protocol/statuses';
import { DEFAULT_GROUP_ID } from './engine-runner';
import type { EngineContext, EngineView, StreamEngine } from './stream-engine';
import { WorkerHost } from './worker-host';

export class BuiltinEngine implements StreamEngine {
  readonly kind = 'builtin' as const;
  private readonly worker: WorkerHost<EngineCommand, EngineReplies, EngineStatus>;

  constructor(context: EngineContext) {
    this.worker = new WorkerHost<EngineCommand, EngineReplies, EngineStatus>({
      name: 'engine',
      file: join(context.workersDir, 'engine-worker.js'),
      workerData: {
        log: context.log,
        database: context.database.connection,
        config: context.config,
        groupId: DEFAULT_GROUP_ID,
        runStartOffsets: context.runStartOffsets,
      } satisfies EngineWorkerData,
      logger: context.logger,
    });
  }

  async start(): Promise<void> {
    try {
      await this.worker.start();
    } catch (error) {
      await this.worker.stop().catch(() => undefined);
      throw error;
    }
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  view(): EngineView {
    return { kind: 'builtin', status: this.worker.status };
  }

  replay(from: number): Promise<ReplayProgress> {
    return this.worker.request({ kind: 'replay', from });
  }

  replayProgress(): ReplayProgress | null {
    return this.worker.status?.replay ?? null;
  }

  generateHistory(hours: number, ratePerSecond: number): Promise<HistoryStatus> {
    return this.worker.request({ kind: 'generateHistory', hours, ratePerSecond });
  }

  async switchLog(
    log: LogBackend,
    drainTo: readonly PartitionOffset[],
    startOffsets: readonly PartitionOffset[],
  ): Promise<void> {
    await this.worker.request({ kind: 'switchLog', log, drainTo, startOffsets });
  }
}
