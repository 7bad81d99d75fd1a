/**
 * The EventLog on Apache Kafka, through kafkajs. Same contract as the embedded log: the same named
 * partitioner (as a kafkajs custom partitioner), so a region lands on the same partition either
 * way; an idempotent producer with acks=all; reads by offset per partition; offsets for a time;
 * group offsets committed for lag. Retention is the broker's (`retention.ms` on the topic).
 */
import kafkajs, { type Admin, type Kafka, type Producer } from 'kafkajs';
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

/** Messages per produce request: stays under the broker's default 1 MiB batch limit. */
const SEND_CHUNK = 4000;

export class KafkaTopicMismatchError extends Error {
  override readonly name = 'KafkaTopicMismatchError';
}

export class KafkaEventLog implements EventLog {
  readonly topic: string;
  readonly partitionCount: number;
  readonly partitioner: PartitionerName;
  private readonly settings: KafkaTopicSettings;
  private readonly admin: Admin;
  private readonly producer: Producer;
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
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // The shared partitioner; kafkajs calls it even when a message names its partition.
      createPartitioner:
        () =>
        ({ partitionMetadata, message }) =>
          message.partition ?? partition(message.key?.toString() ?? '', partitionMetadata.length),
    });
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
      await log.producer.connect();
      await log.reader?.start();
    } catch (err) {
      await log.close().catch(() => undefined);
      throw explainKafkaError(err, connection, settings.topic);
    }
    return log;
  }

  async append(records: PackedRecords): Promise<readonly AppendedRange[]> {
    const byPartition = new Map<number, { baseOffset: number; count: number }>();
    for (let start = 0; start < records.count; start += SEND_CHUNK) {
      const end = Math.min(records.count, start + SEND_CHUNK);
      const messages = [];
      for (let i = start; i < end; i++) {
        const key = records.keys[i]!;
        const valueStart = i === 0 ? 0 : records.valueEnds[i - 1]!;
        messages.push({
          key,
          value: records.values.subarray(valueStart, records.valueEnds[i]!),
          timestamp: String(records.timestamps[i]),
          partition: this.partitionOf(key),
        });
      }
      const counts = new Map<number, number>();
      for (const m of messages) counts.set(m.partition, (counts.get(m.partition) ?? 0) + 1);
      const answers = await this.producer.send({ topic: this.topic, acks: -1, messages });
      for (const answer of answers) {
        const seen = byPartition.get(answer.partition);
        const count = counts.get(answer.partition) ?? 0;
        if (seen) seen.count += count;
        else byPartition.set(answer.partition, { baseOffset: Number(answer.baseOffset), count });
      }
    }
    this.endCache = null;
    return [...byPartition].map(([partition, r]) => ({
      partition,
      baseOffset: r.baseOffset,
      count: r.count,
    }));
  }

  async read(
    partition: number,
    fromOffset: number,
    options: ReadOptions = {},
  ): Promise<FetchedRecords> {
    if (!this.reader) throw new Error('this Kafka log was opened to produce only');
    const end = (await this.endOffsetMap(50)).get(partition) ?? 0;
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
    await Promise.allSettled([this.reader?.stop(), this.producer.disconnect()]);
    await this.admin.disconnect();
  }

  private async endOffsetMap(maxAgeMs: number): Promise<Map<number, number>> {
    if (this.endCache && Date.now() - this.endCache.at <= maxAgeMs) return this.endCache.offsets;
    const offsets = await this.admin.fetchTopicOffsets(this.topic);
    const map = new Map(offsets.map((o) => [o.partition, Number(o.high)]));
    this.endCache = { at: Date.now(), offsets: map };
    return map;
  }
}

/** Creates the topic if it is missing; an existing one that differs is reported, never changed. */
async function ensureTopic(admin: Admin, settings: KafkaTopicSettings): Promise<void> {
  const existing = (await admin.listTopics()).includes(settings.topic);
  if (!existing) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: settings.topic,
          numPartitions: settings.partitions,
          replicationFactor: settings.replicationFactor,
          configEntries: [{ name: 'retention.ms', value: String(settings.retentionMs) }],
        },
      ],
    });
    return;
  }
  const metadata = await admin.fetchTopicMetadata({ topics: [settings.topic] });
  const partitions = metadata.topics[0]?.partitions.length ?? 0;
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [
      {
        type: kafkajs.ConfigResourceTypes.TOPIC,
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
  if (problems.length > 0) {
    throw new KafkaTopicMismatchError(
      `topic "${settings.topic}" exists but does not match: ${problems.join('; ')}. StreamPulse does not change an existing topic: ` +
        'change the settings to match it, or use another topic name.',
    );
  }
}

export { KafkaConnectionError };
