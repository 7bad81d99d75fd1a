/**
 * The EventLog on Apache Kafka, through kafkajs. Same contract as the embedded log: the same named
 * partitioner (as a kafkajs custom partitioner), so a region lands on the same partition either
 * way; an idempotent producer with acks=all; reads by offset per partition; offsets for a time;
 * group offsets committed for lag. Retention is the broker's (`retention.ms` on the topic).
 */
import type { Admin, ITopicConfig, Kafka, Producer } from 'kafkajs';
import { ConfigResourceTypes } from './kafkajs';
import type {
  AppendedRange,
  EventLog,
  FetchedRecords,
  PackedRecords,
  PartitionOffset,
  ReadOptions,
  RetentionResult,
} from './event-log';
import { KafkaPartitionReader } from './kafka-partition-reader';
import {
  explainKafkaError,
  kafkaClient,
  KafkaConnectionError,
  type KafkaConnection,
  type KafkaTopicSettings,
} from './kafka-settings';
import { cachedPartitioner, partitionerFor, type PartitionerName } from './partitioner';

/**
 * At most this many messages, and this many bytes of keys and values, per partition in one
 * produce request: one record batch, well under the brokers' default `message.max.bytes` (1 MiB,
 * Confluent Cloud's too). With kafkajs's encoding replaced (kafka-wire/), larger requests cost
 * less CPU a record, in the client and in the broker: 4,000 gave `serve` on Kafka ~14% more
 * events/s than 1,000, and ~16% more than the 250 that suited kafkajs's own quadratic grouping
 * (docs/BENCHMARKS.md). Fewer round trips also suit a remote cluster.
 */
const SEND_CHUNK = 4000;
const SEND_CHUNK_BYTES = 512 * 1024;
/**
 * Idempotent producers per log. kafkajs allows an idempotent producer one request in flight, so
 * partitions are spread over several producers (partition p always on producer p % n: each
 * partition's records stay in order, under its producer's sequence numbers), and one producer's
 * wait for acks=all overlaps the others' encoding.
 */
const MAX_PRODUCERS = 3;

type OutgoingMessage = { key: Buffer; value: Buffer; timestamp: string; partition: number };

export class KafkaTopicMismatchError extends Error {
  override readonly name = 'KafkaTopicMismatchError';
}

/**
 * Records too old for the topic's `retention.ms`. Kafka counts retention from a record's timestamp
 * (our event time), so such records would be deleted by the broker's next retention pass, seconds
 * after they were acknowledged: they are refused before anything is sent.
 */
export class KafkaRetentionError extends Error {
  override readonly name = 'KafkaRetentionError';
}

/**
 * How much younger than `retention.ms` a record must be: the time left for the engine to read it
 * (and the broker's retention pass runs every few minutes, deleting whole segments).
 */
export const RETENTION_MARGIN_MS = 3600_000;

/**
 * The error for the oldest of `timestamps` when it is too old for `retentionMs` at `now`; null
 * when every record is young enough, or the topic keeps records forever (retention.ms -1).
 */
export function retentionProblem(
  timestamps: ArrayLike<number>,
  count: number,
  retentionMs: number,
  topic: string,
  now: number,
): KafkaRetentionError | null {
  if (retentionMs < 0 || count === 0) return null;
  let oldest = Infinity;
  for (let i = 0; i < count; i++) oldest = Math.min(oldest, timestamps[i]!);
  const limit = now - retentionMs + RETENTION_MARGIN_MS;
  if (oldest >= limit) return null;
  const days = +(retentionMs / 86_400_000).toFixed(2);
  return new KafkaRetentionError(
    `events from ${new Date(oldest).toISOString()} are older than topic "${topic}" keeps them: ` +
      `its retention.ms is ${retentionMs} (${days} days), counted by Kafka from each record's ` +
      `timestamp (the event time), so the broker would delete them within minutes. None of these ` +
      `events was written. Use a --start after ${new Date(limit).toISOString()}, or a topic with a longer ` +
      `retention.ms (-1 keeps records forever).`,
  );
}

export class KafkaEventLog implements EventLog {
  readonly topic: string;
  readonly partitionCount: number;
  readonly partitioner: PartitionerName;
  private readonly settings: KafkaTopicSettings;
  private readonly admin: Admin;
  /** Partition p is produced by producers[p % producers.length]. */
  private readonly producers: readonly Producer[];
  private readonly keyBytes = new Map<string, Buffer>();
  /** Null for a producer-only instance (the generator): it must not join the engine's group. */
  private readonly reader: KafkaPartitionReader | null;
  private readonly partitionOf: (key: string) => number;
  private endCache: { at: number; offsets: Map<number, number> } | null = null;

  private constructor(kafka: Kafka, admin: Admin, settings: KafkaTopicSettings, consume: boolean) {
    this.settings = settings;
    this.topic = settings.topic;
    this.partitionCount = settings.partitions;
    this.partitioner = settings.partitioner;
    this.admin = admin;
    const partition = partitionerFor(settings.partitioner);
    this.partitionOf = cachedPartitioner(partition, settings.partitions);
    this.producers = Array.from({ length: Math.min(MAX_PRODUCERS, settings.partitions) }, () =>
      kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // The shared partitioner; kafkajs calls it even when a message names its partition.
        createPartitioner:
          () =>
          ({ partitionMetadata, message }) =>
            message.partition ?? partition(message.key?.toString() ?? '', partitionMetadata.length),
      }),
    );
    this.reader = consume
      ? new KafkaPartitionReader(kafka, settings.topic, settings.groupId)
      : null;
  }

  /**
   * Connects, creates the topic if missing (or reports a mismatch) and, unless `consume` is false,
   * starts the reader in the settings' consumer group.
   */
  static async open(
    connection: KafkaConnection,
    settings: KafkaTopicSettings,
    options: { readonly consume?: boolean } = {},
  ): Promise<KafkaEventLog> {
    const kafka = kafkaClient(connection);
    const admin = kafka.admin();
    try {
      await admin.connect();
      await ensureTopic(admin, settings);
    } catch (err) {
      await admin.disconnect().catch(() => undefined);
      if (err instanceof KafkaTopicMismatchError) throw err;
      throw explainKafkaError(err, connection, settings.topic);
    }
    const log = new KafkaEventLog(kafka, admin, settings, options.consume ?? true);
    try {
      await Promise.all(log.producers.map((producer) => producer.connect()));
      await log.reader?.start();
    } catch (err) {
      await log.close().catch(() => undefined);
      throw explainKafkaError(err, connection, settings.topic);
    }
    return log;
  }

  /**
   * Sends each partition's records in order, in requests of up to SEND_CHUNK messages (and
   * SEND_CHUNK_BYTES) per partition, the producers in parallel; resolves when every request is
   * acknowledged (acks=all). If one fails, the others finish (or fail) first, then the first
   * error is thrown: records of a failed append may be in the log, each partition's a prefix of
   * its share, as with the embedded log's per-partition resume.
   */
  async append(records: PackedRecords): Promise<readonly AppendedRange[]> {
    const tooOld = retentionProblem(
      records.timestamps,
      records.count,
      this.settings.retentionMs,
      this.topic,
      Date.now(),
    );
    if (tooOld) throw tooOld;
    const byPartition: OutgoingMessage[][] = Array.from({ length: this.partitionCount }, () => []);
    for (let i = 0, valueStart = 0; i < records.count; i++) {
      const key = records.keys[i]!;
      const valueEnd = records.valueEnds[i]!;
      const partition = this.partitionOf(key);
      byPartition[partition]!.push({
        key: this.keyBuffer(key),
        value: records.values.subarray(valueStart, valueEnd),
        timestamp: String(records.timestamps[i]),
        partition,
      });
      valueStart = valueEnd;
    }
    const ranges: AppendedRange[] = [];
    const sent = await Promise.allSettled(
      this.producers.map(async (producer, index) => {
        const own = byPartition
          .filter(
            (messages, partition) =>
              partition % this.producers.length === index && messages.length > 0,
          )
          .map(sendChunks);
        for (let round = 0; own.some((chunks) => chunks.length > round); round++) {
          const messages = own.flatMap((chunks) => chunks[round] ?? []);
          const answers = await producer.send({ topic: this.topic, acks: -1, messages });
          // kafkajs can resolve a send that spans brokers without a partition whose leader moved
          // meanwhile (tulios/kafkajs#1303): an append must not pass for whole when it is not.
          const answered = new Set(answers.map((answer) => answer.partition));
          const unanswered = own
            .filter((chunks) => chunks.length > round)
            .map((chunks) => chunks[round]![0]!.partition)
            .filter((partition) => !answered.has(partition));
          if (unanswered.length > 0)
            throw new Error(
              `Kafka did not acknowledge the records for partition ${unanswered.join(', ')} of "${this.topic}"`,
            );
          if (round > 0) continue;
          for (const answer of answers) {
            ranges.push({
              partition: answer.partition,
              baseOffset: Number(answer.baseOffset),
              count: byPartition[answer.partition]!.length,
            });
          }
        }
      }),
    );
    this.endCache = null;
    const failed = sent.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return ranges.sort((a, b) => a.partition - b.partition);
  }

  async read(
    partition: number,
    fromOffset: number,
    options: ReadOptions = {},
  ): Promise<FetchedRecords> {
    if (!this.reader) throw new Error('this Kafka log was opened to produce only');
    // While the fetches' high watermark is ahead, records are known to be there: no need to ask
    // the broker for the end (a ListOffsets round trip every 50 ms of reading, before).
    const seen = this.reader.knownEnd(partition);
    const end =
      seen !== undefined && seen > fromOffset
        ? seen
        : ((await this.endOffsetMap(50)).get(partition) ?? 0);
    const records = await this.reader.read(
      partition,
      fromOffset,
      options.maxRecords ?? 10_000,
      end,
    );
    const nextOffset = records.length > 0 ? records[records.length - 1]!.offset + 1 : fromOffset;
    return { partition, records, nextOffset, endOffset: Math.max(end, nextOffset) };
  }

  async startOffsets(): Promise<readonly PartitionOffset[]> {
    const offsets = await this.admin.fetchTopicOffsets(this.topic);
    return offsets
      .map((o) => ({ partition: o.partition, offset: Number(o.low) }))
      .sort((a, b) => a.partition - b.partition);
  }

  async endOffsets(): Promise<readonly PartitionOffset[]> {
    return [...(await this.endOffsetMap(0))]
      .map(([partition, offset]) => ({ partition, offset }))
      .sort((a, b) => a.partition - b.partition);
  }

  async offsetsForTimestamp(timestamp: number): Promise<readonly PartitionOffset[]> {
    // kafkajs answers the end offset where no record is that late, as the EventLog contract wants.
    const offsets = await this.admin.fetchTopicOffsetsByTimestamp(this.topic, timestamp);
    return offsets
      .map((o) => ({ partition: o.partition, offset: Number(o.offset) }))
      .sort((a, b) => a.partition - b.partition);
  }

  async commitOffsets(groupId: string, offsets: readonly PartitionOffset[]): Promise<void> {
    if (groupId === this.settings.groupId && this.reader) await this.reader.commit(offsets);
    else
      await this.admin.setOffsets({
        groupId,
        topic: this.topic,
        partitions: offsets.map((o) => ({ partition: o.partition, offset: String(o.offset) })),
      });
  }

  async fetchCommittedOffsets(groupId: string): Promise<readonly PartitionOffset[]> {
    const [topic] = await this.admin.fetchOffsets({ groupId, topics: [this.topic] });
    return (topic?.partitions ?? [])
      .filter((p) => Number(p.offset) >= 0)
      .map((p) => ({ partition: p.partition, offset: Number(p.offset) }))
      .sort((a, b) => a.partition - b.partition);
  }

  /** The broker enforces `retention.ms`; this only reports where each partition now starts. */
  async enforceRetention(): Promise<RetentionResult> {
    return { deletedSegments: 0, deletedBytes: 0, startOffsets: await this.startOffsets() };
  }

  /** kafkajs acknowledges each send (acks=all) before it resolves: nothing is left to flush. */
  async flush(): Promise<void> {}

  async close(): Promise<void> {
    await Promise.allSettled([
      this.reader?.stop(),
      ...this.producers.map((producer) => producer.disconnect()),
    ]);
    await this.admin.disconnect();
  }

  private keyBuffer(key: string): Buffer {
    let bytes = this.keyBytes.get(key);
    if (!bytes) {
      if (this.keyBytes.size >= 10_000) this.keyBytes.clear(); // keys are regions: few
      bytes = Buffer.from(key, 'utf8');
      this.keyBytes.set(key, bytes);
    }
    return bytes;
  }

  private async endOffsetMap(maxAgeMs: number): Promise<Map<number, number>> {
    if (this.endCache && Date.now() - this.endCache.at <= maxAgeMs) return this.endCache.offsets;
    const offsets = await this.admin.fetchTopicOffsets(this.topic);
    const map = new Map(offsets.map((o) => [o.partition, Number(o.high)]));
    this.endCache = { at: Date.now(), offsets: map };
    return map;
  }
}

/** A partition's messages cut into requests' shares: SEND_CHUNK messages, SEND_CHUNK_BYTES. */
export function sendChunks<M extends { key: Buffer; value: Buffer }>(
  messages: readonly M[],
): M[][] {
  const chunks: M[][] = [];
  let chunk: M[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = message.key.length + message.value.length;
    if (chunk.length > 0 && (chunk.length >= SEND_CHUNK || bytes + size > SEND_CHUNK_BYTES)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** Creates the topic if it is missing; an existing one that differs is reported, never changed. */
async function ensureTopic(admin: Admin, settings: KafkaTopicSettings): Promise<void> {
  const existing = (await admin.listTopics()).includes(settings.topic);
  if (!existing) {
    await admin.createTopics({ waitForLeaders: true, topics: [newTopic(settings)] });
    return;
  }
  const mismatch = await topicMismatch(admin, settings);
  if (mismatch) throw new KafkaTopicMismatchError(mismatch);
}

/** The topic StreamPulse creates for `settings`. */
export function newTopic(
  settings: Pick<KafkaTopicSettings, 'topic' | 'partitions' | 'replicationFactor' | 'retentionMs'>,
): ITopicConfig {
  return {
    topic: settings.topic,
    numPartitions: settings.partitions,
    replicationFactor: settings.replicationFactor,
    configEntries: [{ name: 'retention.ms', value: String(settings.retentionMs) }],
  };
}

/**
 * How an existing topic differs from the settings (partitions, retention.ms), as the message a
 * KafkaTopicMismatchError carries; null when it matches.
 */
export async function topicMismatch(
  admin: Admin,
  settings: Pick<KafkaTopicSettings, 'topic' | 'partitions' | 'retentionMs'>,
): Promise<string | null> {
  const metadata = await admin.fetchTopicMetadata({ topics: [settings.topic] });
  const partitions = metadata.topics[0]?.partitions.length ?? 0;
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [
      {
        type: ConfigResourceTypes.TOPIC,
        name: settings.topic,
        configNames: ['retention.ms'],
      },
    ],
  });
  const retention = Number(
    described.resources[0]?.configEntries.find((e) => e.configName === 'retention.ms')?.configValue,
  );
  const problems: string[] = [];
  if (partitions !== settings.partitions)
    problems.push(`it has ${partitions} partitions, the settings say ${settings.partitions}`);
  if (retention !== settings.retentionMs)
    problems.push(`its retention.ms is ${retention}, the settings say ${settings.retentionMs}`);
  if (problems.length === 0) return null;
  return (
    `topic "${settings.topic}" exists but does not match: ${problems.join('; ')}. StreamPulse does not change an existing topic: ` +
    'change the settings to match it, or use another topic name.'
  );
}

export { KafkaConnectionError };
