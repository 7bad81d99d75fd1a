/**
 * `<dir>/<topic>/meta.json`: the settings a log was created with. The partition count and the
 * partitioner decide which partition every key lives in, so they are fixed at creation; a later
 * open asking for others is an error, never a silent re-partitioning. It also holds the log's id,
 * a random UUID: offsets mean something only in the log they came from, and a path does not tell
 * two logs apart (two machines' default data dirs, a log deleted and made again at the same path).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { isPartitionerName, type PartitionerName } from './partitioner';
import { readJsonFile, writeJsonAtomic } from './file-utils';
import { LogConfigMismatchError } from './log-errors';

export const META_VERSION = 1;

export interface TopicMeta {
  readonly version: number;
  readonly topic: string;
  readonly partitions: number;
  readonly partitioner: PartitionerName;
  /**
   * Made when the log is; a log from before ids gets one when a writer next opens it. Absent only
   * when such a log is opened read-only first.
   */
  readonly id?: string;
}

export interface RequestedTopic {
  readonly topic: string;
  /** Undefined: whatever the existing log has (the default for a new log otherwise). */
  readonly partitions: number | undefined;
  readonly partitioner: PartitionerName | undefined;
}

export const DEFAULT_PARTITIONS = 3;
export const DEFAULT_PARTITIONER: PartitionerName = 'region';

function parseMeta(file: string, raw: unknown): TopicMeta {
  const meta = raw as Partial<Record<keyof TopicMeta, unknown>> | null;
  if (
    typeof meta !== 'object' ||
    meta === null ||
    meta.version !== META_VERSION ||
    typeof meta.topic !== 'string' ||
    typeof meta.partitions !== 'number' ||
    !Number.isInteger(meta.partitions) ||
    meta.partitions < 1 ||
    typeof meta.partitioner !== 'string' ||
    !isPartitionerName(meta.partitioner) ||
    (meta.id !== undefined && (typeof meta.id !== 'string' || meta.id.length === 0))
  ) {
    throw new Error(
      `${file} is damaged or from an unknown version (expected {version: ${META_VERSION}, ` +
        'topic, partitions, partitioner, id}). Restore it, or move the log directory away to start anew.',
    );
  }
  return meta as TopicMeta;
}

/**
 * The log's settings: those of meta.json if it exists (checked against the request), else the
 * request's, written to a new meta.json (writers only; a reader of a missing log gets an error).
 */
export function resolveTopicMeta(
  topicDir: string,
  requested: RequestedTopic,
  readOnly: boolean,
): TopicMeta {
  const file = path.join(topicDir, 'meta.json');
  const raw = readJsonFile(file);
  if (raw === undefined) {
    if (readOnly) {
      throw new Error(
        `No event log for topic "${requested.topic}" at ${topicDir} (no meta.json): nothing ` +
          'has been written there yet. Check the data directory, or generate events first.',
      );
    }
    const meta: TopicMeta = {
      version: META_VERSION,
      topic: requested.topic,
      partitions: requested.partitions ?? DEFAULT_PARTITIONS,
      partitioner: requested.partitioner ?? DEFAULT_PARTITIONER,
      id: randomUUID(),
    };
    writeJsonAtomic(file, meta);
    return meta;
  }
  let meta = parseMeta(file, raw);
  if (meta.id === undefined && !readOnly) {
    meta = { ...meta, id: randomUUID() };
    writeJsonAtomic(file, meta);
  }
  if (requested.partitions !== undefined && requested.partitions !== meta.partitions) {
    throw new LogConfigMismatchError(
      `The event log at ${topicDir} has ${meta.partitions} partitions, but ` +
        `${requested.partitions} were asked for (the "partitions" setting). The partition count ` +
        `is fixed when a log is created: set partitions to ${meta.partitions}, or move or ` +
        `delete ${topicDir} to start a new log with ${requested.partitions}.`,
    );
  }
  if (requested.partitioner !== undefined && requested.partitioner !== meta.partitioner) {
    throw new LogConfigMismatchError(
      `The event log at ${topicDir} uses the "${meta.partitioner}" partitioner, but ` +
        `"${requested.partitioner}" was asked for (the "partitioner" setting). Keys would land ` +
        `on other partitions: set partitioner to "${meta.partitioner}", or move or delete ` +
        `${topicDir} to start a new log.`,
    );
  }
  return meta;
}
