/**
 * The EventLog on Apache Kafka, through @platformatic/kafka. Same contract as the embedded log:
 * the same named partitioner (each message names its partition), so a region lands on the same
 * partition either way; an idempotent producer with acks=all; reads by offset per partition on
 * the Fetch API, in no consumer group; offsets for a time; group offsets committed for lag only.
 * Retention is the broker's (`retention.ms` on the topic).
 */
import {
  Admin,
  Consumer,
  FetchIsolationLevels,
  ListOffsetTimestamps,
  Producer,
  ProduceAcks,
} from '@platformatic/kafka';
import type {
  AppendedRange,
  EventLog,
  FetchedRecords,
  PackedRecords,
  PartitionOffset,
  ReadOptions,
  RetentionResult,
} from './event-log';
import { KafkaPartitionReader, type KafkaReaderTuning } from './kafka-partition-reader';
import {
  DEFAULT_KAFKA_COMPRESSION,
  explainKafkaError,
  kafkaClientOptions,
  KafkaConnectionError,
  type KafkaConnection,
  type KafkaTopicSettings,
} from './kafka-settings';
import { ensureTopic, KafkaTopicMismatchError } from './kafka-topic';
import { retentionProblem } from './kafka-retention';
import { sendChunks } from './kafka-send-chunks';
import { cachedPartitioner, partitionerFor, type PartitionerName } from './partitioner';

/**
 * Sends of one append started at once. The idempotent client puts one request on the wire per
 * broker connection at a time and numbers each partition's records when a send starts, so order
 * holds; starting the next send early only overlaps its encoding (and compression) with the wait
 * for acks=all of the one before.
 */
const SENDS_IN_FLIGHT = 4;
/** Opening the log (first contact, topic check or creation) answers within this. */
export const OPEN_TIMEOUT_MS = 30_000;

type OutgoingMessage = {
  topic: string;
  key: Buffer;
  value: Buffer;
  timestamp: bigint;
  partition: number;
};

export class KafkaEventLog implements EventLog {
  readonly topic: string;
  readonly partitionCount: number;
  readonly partitioner: PartitionerName;
  private readonly settings: KafkaTopicSettings;
  private readonly connection: KafkaConnection;
  private readonly admin: Admin;
  private readonly producer: Producer;
  /** Null for a producer-only instance (the generator). */
  private readonly consumer: Consumer | null;
  private readonly reader: KafkaPartitionReader | null;
  private readonly keyBytes = new Map<string, Buffer>();
  private readonly partitionOf: (key: string) => number;
  private endCache: { at: number; offsets: Map<number, number> } | null = null;

  private constructor(
    connection: KafkaConnection,
    settings: KafkaTopicSettings,
    admin: Admin,
    consume: boolean,
    readerTuning: KafkaReaderTuning | undefined,
  ) {
    this.settings = settings;
    this.connection = connection;
    this.topic = settings.topic;
    this.partitionCount = settings.partitions;
    this.partitioner = settings.partitioner;
    this.admin = admin;
    this.partitionOf = cachedPartitioner(partitionerFor(settings.partitioner), settings.partitions);
    const options = kafkaClientOptions(connection);
    this.producer = new Producer({
      ...options,
      idempotent: true,
      acks: ProduceAcks.ALL,
      compression: settings.compression ?? DEFAULT_KAFKA_COMPRESSION,
      // Every message names its partition (our partitioner); this is never asked.
      partitioner: (message) => message.partition ?? 0,
    });
    // The consumer only fetches (no group membership): `groupId` names the group the engine's
    // offsets are committed to, for lag, by the admin client.
    this.consumer = consume
      ? new Consumer({
          ...options,
          groupId: settings.groupId,
          maxBytes: 1024 * 1024,
          // Our producer is not transactional; read what is acknowledged, as the end offsets count.
          isolationLevel: FetchIsolationLevels.READ_UNCOMMITTED,
        })
      : null;
    this.reader = this.consumer
      ? new KafkaPartitionReader(this.consumer, settings.topic, readerTuning)
      : null;
  }

  /**
   * Connects, creates the topic if missing (or reports a mismatch). With `consume` false, the
   * log only produces (the generator).
   */
  static async open(
    connection: KafkaConnection,
    settings: KafkaTopicSettings,
    options: { readonly consume?: boolean; readonly reader?: KafkaReaderTuning } = {},
  ): Promise<KafkaEventLog> {
    // The first contact fails fast (a listener that accepts and never answers, a wrong password):
    // short timeouts, one retry, and a deadline over it all, since the client's retries nest.
    const admin = new Admin(
      kafkaClientOptions(connection, { connectTimeout: 10_000, requestTimeout: 5_000, retries: 1 }),
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new KafkaConnectionError(
              'unreachable',
              `no answer from ${connection.brokers.join(', ')} within ${OPEN_TIMEOUT_MS / 1000} s: ` +
                'check the host names and ports, that this machine may connect to them, and ' +
                'whether the listener expects TLS',
            ),
          ),
        OPEN_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([ensureTopic(admin, settings), deadline]);
    } catch (err) {
      await admin.close().catch(() => undefined);
      if (err instanceof KafkaTopicMismatchError || err instanceof KafkaConnectionError) throw err;
      throw explainKafkaError(err, connection, settings.topic);
    } finally {
      clearTimeout(timer);
    }
    await admin.close().catch(() => undefined);
    return new KafkaEventLog(
      connection,
      settings,
      new Admin(kafkaClientOptions(connection)),
      options.consume ?? true,
      options.reader,
    );
  }

  /**
   * Sends each partition's records in order, in requests of up to SEND_CHUNK messages (and
   * SEND_CHUNK_BYTES) per partition, every partition's next chunk in one request, several requests
   * in flight; resolves when every request is acknowledged (acks=all). If one fails, the others
   * finish (or fail) first, then the first error is thrown: records of a failed append may be in
   * the log, each partition's a prefix of its share, as with the embedded log's per-partition
   * resume.
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
        topic: this.topic,
        key: this.keyBuffer(key),
        value: records.values.subarray(valueStart, valueEnd),
        timestamp: BigInt(records.timestamps[i]!),
        partition,
      });
      valueStart = valueEnd;
    }
    const chunks = byPartition.map((messages) => sendChunks(messages));
    const rounds = Math.max(0, ...chunks.map((c) => c.length));
    const baseOffsets = new Map<number, number>();
    let failure: unknown = null;
    let next = 0;
    const sendRound = async (round: number): Promise<void> => {
      const shares = chunks.filter((c) => c.length > round).map((c) => c[round]!);
      const result = await this.producer.send({ messages: shares.flat() });
      // An append must not pass for whole when a partition's share was not acknowledged.
      const answered = new Map(
        (result.offsets ?? [])
          .filter((o) => o.topic === this.topic)
          .map((o) => [o.partition, o.offset]),
      );
      const missing = shares
        .map((share) => share[0]!.partition)
        .filter((partition) => !answered.has(partition));
      if (missing.length > 0)
        throw new Error(
          `Kafka did not acknowledge the records for partition ${missing.join(', ')} of "${this.topic}"`,
        );
      if (round === 0)
        for (const [partition, offset] of answered) baseOffsets.set(partition, Number(offset));
    };
    const lane = async (): Promise<void> => {
      while (failure === null && next < rounds) {
        const round = next++;
        await sendRound(round).catch((error: unknown) => {
          failure ??= error;
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(SENDS_IN_FLIGHT, rounds) }, lane));
    this.endCache = null;
    if (failure !== null) throw explainKafkaError(failure, this.connection, this.topic);
    return byPartition
      .map((messages, partition) => ({
        partition,
        baseOffset: baseOffsets.get(partition) ?? -1,
        count: messages.length,
      }))
      .filter((range) => range.count > 0);
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
    const { records, unreadable } = await this.reader.read(
      partition,
      fromOffset,
      options.maxRecords ?? 10_000,
      end,
    );
    let nextOffset = fromOffset;
    for (const range of unreadable) nextOffset = Math.max(nextOffset, range.lastOffset + 1);
    if (records.length > 0)
      nextOffset = Math.max(nextOffset, records[records.length - 1]!.offset + 1);
    return {
      partition,
      records,
      ...(unreadable.length > 0 ? { unreadable } : {}),
      nextOffset,
      endOffset: Math.max(end, nextOffset),
    };
  }

  async startOffsets(): Promise<readonly PartitionOffset[]> {
    return this.listOffsets(ListOffsetTimestamps.EARLIEST);
  }

  async endOffsets(): Promise<readonly PartitionOffset[]> {
    return [...(await this.endOffsetMap(0))]
      .map(([partition, offset]) => ({ partition, offset }))
      .sort((a, b) => a.partition - b.partition);
  }

  async offsetsForTimestamp(timestamp: number): Promise<readonly PartitionOffset[]> {
    // Kafka answers -1 where no record is that late; the EventLog contract wants the end offset.
    const [found, ends] = await Promise.all([
      this.listOffsets(BigInt(timestamp)),
      this.endOffsetMap(0),
    ]);
    return found.map((o) => (o.offset >= 0 ? o : { ...o, offset: ends.get(o.partition) ?? 0 }));
  }

  async commitOffsets(groupId: string, offsets: readonly PartitionOffset[]): Promise<void> {
    await this.admin.alterConsumerGroupOffsets({
      groupId,
      topics: [
        {
          name: this.topic,
          partitionOffsets: offsets.map((o) => ({
            partition: o.partition,
            offset: BigInt(o.offset),
          })),
        },
      ],
    });
  }

  async fetchCommittedOffsets(groupId: string): Promise<readonly PartitionOffset[]> {
    const [group] = await this.admin.listConsumerGroupOffsets({
      groups: [
        {
          groupId,
          topics: [
            {
              name: this.topic,
              partitionIndexes: Array.from({ length: this.partitionCount }, (_, p) => p),
            },
          ],
        },
      ],
    });
    return (group?.topics.find((t) => t.name === this.topic)?.partitions ?? [])
      .filter((p) => p.committedOffset >= 0n)
      .map((p) => ({ partition: p.partitionIndex, offset: Number(p.committedOffset) }))
      .sort((a, b) => a.partition - b.partition);
  }

  /** The broker enforces `retention.ms`; this only reports where each partition now starts. */
  async enforceRetention(): Promise<RetentionResult> {
    return { deletedSegments: 0, deletedBytes: 0, startOffsets: await this.startOffsets() };
  }

  /** Each send resolves once acknowledged (acks=all): nothing is left to flush. */
  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.reader?.close();
    await Promise.allSettled([this.consumer?.close(true), this.producer.close()]);
    await this.admin.close();
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

  private async listOffsets(timestamp: bigint): Promise<PartitionOffset[]> {
    const [topic] = await this.admin.listOffsets({
      topics: [
        {
          name: this.topic,
          partitions: Array.from({ length: this.partitionCount }, (_, partitionIndex) => ({
            partitionIndex,
            timestamp,
          })),
        },
      ],
    });
    return (topic?.partitions ?? [])
      .map((p) => ({ partition: p.partitionIndex, offset: Number(p.offset) }))
      .sort((a, b) => a.partition - b.partition);
  }

  private async endOffsetMap(maxAgeMs: number): Promise<Map<number, number>> {
    if (this.endCache && Date.now() - this.endCache.at <= maxAgeMs) return this.endCache.offsets;
    const offsets = await this.listOffsets(ListOffsetTimestamps.LATEST);
    const map = new Map(offsets.map((o) => [o.partition, o.offset]));
    this.endCache = { at: Date.now(), offsets: map };
    return map;
  }
}

export { KafkaConnectionError, KafkaTopicMismatchError };
export { KafkaRetentionError, RETENTION_MARGIN_MS, retentionProblem } from './kafka-retention';
