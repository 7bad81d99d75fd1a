/**
 * An embedded log that already exists keeps its partitions and partitioner: its events are
 * already placed, so the settings' values only shape a new one. A flag for this run
 * (`--partitions`, `--partitioner`) is still passed on, so the log refuses a mismatch, as before.
 */
import { existsSync } from 'node:fs';
import { logDirOf } from '../data-dir';
import type { LogBackend } from '../log/open-event-log';

export function keepExistingShape(backend: LogBackend, overridden: readonly string[]): LogBackend {
  if (backend.kind !== 'embedded' || !existsSync(logDirOf(backend.dataDir))) return backend;
  return {
    ...backend,
    partitions: overridden.includes('log.partitions') ? backend.partitions : undefined,
    partitioner: overridden.includes('log.partitioner') ? backend.partitioner : undefined,
  };
}
