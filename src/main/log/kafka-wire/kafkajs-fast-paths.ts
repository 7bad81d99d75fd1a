/**
 * Replaces kafkajs's hot paths with faster code that gives the same results, before kafkajs loads:
 * the Produce request's encoding (produce-request.ts), the grouping of messages per partition
 * (group-per-partition.ts), the decoding of fetched record batches (record-batch-decoder.ts) and
 * a fetched batch's filtering by offset (below). Everything else (connections, SASL, TLS,
 * metadata, the idempotent producer's sequences, retries, the consumer group) stays kafkajs's own.
 *
 * Why this way: kafkajs is the client the project builds on, and its last release (2.2.4, 2023)
 * spends most of its CPU in those places (docs/kafka.md has the figures), which kept `serve` on
 * Kafka at ~120,000 events/s on two cores. Its modules are CommonJS files loaded through Node's
 * module cache, so a module whose cache entry is replaced before its first user loads is replaced
 * for every user. Only the version these replacements were written and tested against is touched:
 * any other version runs as it comes (and a test fails, so the change is noticed).
 *
 * STREAMPULSE_KAFKAJS_FAST_PATHS=0 turns them off (for comparisons, or if one were ever suspect).
 */
import { dirname, join } from 'node:path';
import { groupMessagesPerPartition } from './group-per-partition';
import {
  encodeProduceRequest,
  OutsideFastPathError,
  type ProduceRequestFields,
} from './produce-request';
import { decodeRecordBatch, type DecodedRecord, type FetchDecoder } from './record-batch-decoder';

/** The kafkajs release the replacements match, file for file. */
export const KAFKAJS_VERSION = '2.2.4';

export interface FastPathsState {
  readonly version: string;
  /** Why something was not replaced, or null when everything was. */
  readonly skipped: string | null;
  readonly produceRequest: boolean;
  readonly grouping: boolean;
  readonly recordBatchDecoder: boolean;
  readonly fetchedBatch: boolean;
}

/** Marks our replacements, so a second install (another bundle chunk) sees them. */
const REPLACEMENT = Symbol.for('streampulse.kafkajs-fast-path');
/** On a replacement: the kafkajs module it replaced (the tests compare the two). */
export const ORIGINAL = Symbol.for('streampulse.kafkajs-original');

type ProduceRequestFactory = (fields: ProduceRequestFields & { compression?: number }) => {
  encode: () => Promise<unknown>;
};

/** Installs the replacements into `load`'s module cache; `load` must be able to resolve kafkajs. */
export function installKafkajsFastPaths(
  load: NodeJS.Require,
  env: NodeJS.ProcessEnv = process.env,
): FastPathsState {
  const root = dirname(load.resolve('kafkajs/package.json'));
  const version = (load(join(root, 'package.json')) as { version: string }).version;
  const off = (skipped: string): FastPathsState => ({
    version,
    skipped,
    produceRequest: false,
    grouping: false,
    recordBatchDecoder: false,
    fetchedBatch: false,
  });
  if (env.STREAMPULSE_KAFKAJS_FAST_PATHS === '0') return off('STREAMPULSE_KAFKAJS_FAST_PATHS=0');
  if (version !== KAFKAJS_VERSION) return off(`kafkajs ${version} is not ${KAFKAJS_VERSION}`);
  const file = (path: string): string => join(root, 'src', path);

  const grouping = replace(
    load,
    file('producer/groupMessagesPerPartition.js'),
    [file('producer/sendMessages.js')],
    () => groupMessagesPerPartition,
  );
  const produceRequest = replace(
    load,
    file('protocol/requests/produce/v3/request.js'),
    // Versions 4 to 7 take version 3's request when they load.
    [4, 5, 6, 7].map((v) => file(`protocol/requests/produce/v${v}/request.js`)),
    (original: ProduceRequestFactory): ProduceRequestFactory =>
      (fields) => {
        const request = original(fields);
        if (!takesFastPath(fields)) return request;
        return {
          ...request,
          encode: async () => {
            try {
              return asEncoder(encodeProduceRequest(fields));
            } catch (err) {
              if (err instanceof OutsideFastPathError) return request.encode();
              throw err;
            }
          },
        };
      },
  );
  const recordBatchDecoder = replace(
    load,
    file('protocol/recordBatch/v0/decoder.js'),
    [file('protocol/requests/fetch/v4/decodeMessages.js')],
    (original: (decoder: FetchDecoder) => Promise<unknown>) => async (decoder: FetchDecoder) =>
      decodeRecordBatch(decoder) ?? original(decoder),
  );
  const filterAborted = load(file('consumer/filterAbortedMessages.js')) as (args: {
    messages: DecodedRecord[];
    abortedTransactions?: unknown[];
  }) => DecodedRecord[];
  const fetchedBatch = replace(
    load,
    file('consumer/batch.js'),
    [file('consumer/consumerGroup.js')],
    (Original: FetchedBatchClass) => fastFetchedBatch(Original, filterAborted),
  );
  const replaced = { produceRequest, grouping, recordBatchDecoder, fetchedBatch };
  const missed = Object.entries(replaced)
    .filter(([, done]) => !done)
    .map(([name]) => name);
  const skipped =
    missed.length === 0
      ? null
      : `kafkajs was loaded before its replacements were installed: ${missed.join(', ')} kept kafkajs's own code (import kafkajs through src/main/log/kafkajs.ts, first)`;
  return { version, skipped, ...replaced };
}

/**
 * Puts `make(original)` in place of the module at `path`. False if one of `users` (which take it
 * when they load) has loaded already, so would keep the original.
 */
function replace<T>(
  load: NodeJS.Require,
  path: string,
  users: readonly string[],
  make: (original: T) => unknown,
): boolean {
  const original = load(path) as T & { [REPLACEMENT]?: true };
  if (original[REPLACEMENT]) return true;
  if (users.some((user) => load.cache[user] !== undefined)) return false;
  const replacement = make(original) as { [REPLACEMENT]?: true; [ORIGINAL]?: T };
  replacement[REPLACEMENT] = true;
  replacement[ORIGINAL] = original;
  load.cache[path]!.exports = replacement;
  return true;
}

/** Uncompressed, and no message with headers: what produce-request.ts writes. */
function takesFastPath(fields: ProduceRequestFields & { compression?: number }): boolean {
  if ((fields.compression ?? 0) !== 0) return false;
  for (const { partitions } of fields.topicData)
    for (const { messages } of partitions)
      for (const message of messages) {
        const headers = (message as { headers?: object }).headers;
        if (headers !== undefined && headers !== null && Object.keys(headers).length > 0)
          return false;
      }
  return true;
}

/** What kafkajs's request framing takes from an Encoder: its buffer. */
function asEncoder(bytes: Buffer): { buf: Buffer; buffer: Buffer; size: () => number } {
  return { buf: bytes, buffer: bytes, size: () => bytes.length };
}

interface PartitionData {
  messages: DecodedRecord[];
  abortedTransactions?: unknown[];
}
type FetchedBatchClass = new (topic: string, fetchedOffset: string, data: PartitionData) => object;

/**
 * kafkajs's Batch (the messages of one partition in a fetch), with the same fields, but its first
 * filter (messages at or after the fetched offset) compares numbers, not a BigInt parsed from
 * each message's offset string. The rest of the constructor and every method stay kafkajs's.
 */
function fastFetchedBatch(
  Original: FetchedBatchClass,
  filterAborted: (args: PartitionData) => DecodedRecord[],
): FetchedBatchClass {
  return class Batch extends Original {
    constructor(topic: string, fetchedOffset: string, data: PartitionData) {
      super(topic, fetchedOffset, { ...data, messages: [] });
      const from = Number(fetchedOffset);
      const within = Number.isSafeInteger(from)
        ? data.messages.filter((m) => Number(m.offset) >= from)
        : data.messages.filter((m) => BigInt(m.offset) >= BigInt(fetchedOffset));
      Object.assign(this, {
        rawMessages: data.messages,
        messagesWithinOffset: within,
        messages: filterAborted({
          messages: within,
          abortedTransactions: data.abortedTransactions,
        }).filter((m) => !m.isControlRecord),
      });
    }
  };
}
