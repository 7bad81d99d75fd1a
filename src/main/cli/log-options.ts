/** Options every command that touches the event log shares, and opening the log from them. */
import { resolve } from 'node:path';
import { defaultDataDir, logDirOf } from '../data-dir';
import { EmbeddedEventLog } from '../log/embedded-event-log';
import { isPartitionerName, PARTITIONER_NAMES, type PartitionerName } from '../log/partitioner';
import type { Logger } from '../logger';
import { UsageError } from './cli-io';
import { parseInteger } from './option-parsers';

export const LOG_OPTIONS = {
  'data-dir': { type: 'string' },
  partitions: { type: 'string' },
  partitioner: { type: 'string' },
} as const;

export const LOG_OPTIONS_HELP = `  --data-dir DIR        where data lives (default: $STREAMPULSE_DATA_DIR, else the OS's app data dir)
  --partitions N        partitions of a new log (default 3; an existing log keeps its own)
  --partitioner NAME    ${PARTITIONER_NAMES.join(' | ')}: how regions map to partitions (default region)`;

export interface LogSettings {
  readonly dataDir: string;
  /** For a new log; undefined: 3, or what an existing log has. */
  readonly partitions: number | undefined;
  /** For a new log; undefined: `region`, or what an existing log has. */
  readonly partitioner: PartitionerName | undefined;
}

export function logSettingsFrom(
  values: { 'data-dir'?: string; partitions?: string; partitioner?: string },
  env: NodeJS.ProcessEnv,
): LogSettings {
  const partitioner = values.partitioner;
  if (partitioner !== undefined && !isPartitionerName(partitioner)) {
    throw new UsageError(
      `--partitioner must be one of ${PARTITIONER_NAMES.join(', ')}, got "${partitioner}"`,
    );
  }
  return {
    dataDir: resolve(values['data-dir'] ?? defaultDataDir(env)),
    partitions: parseInteger('partitions', values.partitions, 1, 256),
    partitioner,
  };
}

export function openLog(
  settings: LogSettings,
  logger: Logger,
  readOnly = false,
): Promise<EmbeddedEventLog> {
  return EmbeddedEventLog.open({
    dir: logDirOf(settings.dataDir),
    partitions: settings.partitions,
    partitioner: settings.partitioner,
    readOnly,
    logger,
  });
}
