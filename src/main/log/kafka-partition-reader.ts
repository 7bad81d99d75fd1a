/**
 * Turns kafkajs's push-style group consumer into the EventLog's pull: `read(partition, offset)`.
 * A consumer in the engine's group is subscribed to the topic; fetched batches are buffered per
 * partition; a read at an offset other than where the buffer stands seeks there. Batches that do
 * not continue from the expected position (in flight from before a seek) are dropped, so a read
 * never skips or repeats a record. A partition whose buffer is full is paused.
 */
import type { Consumer, Kafka } from 'kafkajs';
import type { LogRecord } from './event-log';

const PAUSE_AT = 50_000;
const RESUME_AT = 10_000;

interface PartitionBuffer {
  /** The next offset the buffer expects from the consumer. */
  fetchPosition: number;
  records: LogRecord[];
  paused: boolean;
  waiters: Array<() => void>;
}

export class KafkaPartitionReader {
  private readonly consumer: Consumer;
  private readonly topic: string;
  private readonly buffers = new Map<number, PartitionBuffer>();
  /** Each partition's end offset (high watermark) from its latest fetched batch, and when. */
  private readonly highWatermarks = new Map<number, { offset: number; at: number }>();
  private assigned: Promise<void>;
  private markAssigned: () => void = () => {};

  constructor(kafka: Kafka, topic: string, groupId: string) {
    this.topic = topic;
    this.consumer = kafka.consumer({
      groupId,
      maxWaitTimeInMs: 100,
      // Under load a fetch waits for 64 KiB (or the 100 ms above) rather than returning each few
      // records: fewer, larger fetches took ~7% less CPU per event in `serve` on Kafka at full
      // load (docs/BENCHMARKS.md). At low rates it adds at most that 100 ms.
      minBytes: 64 * 1024,
      allowAutoTopicCreation: false,
      retry: { retries: 10 },
      // A restarted engine waits for the dead one's session to expire: keep that short.
      sessionTimeout: 10_000,
      heartbeatInterval: 3000,
    });
    this.assigned = new Promise((resolve) => (this.markAssigned = resolve));
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => this.markAssigned());
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        // The latest, not the greatest: a topic deleted and made again starts over.
        this.highWatermarks.set(batch.partition, {
          offset: Number(batch.highWatermark),
          at: Date.now(),
        });
        const buffer = this.buffers.get(batch.partition);
        if (!buffer || batch.messages.length === 0) return;
        const first = Number(batch.messages[0]!.offset);
        // A batch starting past our position was fetched before a seek: drop it.
        if (first > buffer.fetchPosition) return;
        // Neighbouring records often share a timestamp (the decoder then hands the same string,
        // kafka-wire/record-batch-decoder.ts): parse a run of equal ones once.
        let timestampText = '';
        let timestamp = 0;
        for (const message of batch.messages) {
          const offset = Number(message.offset);
          if (offset < buffer.fetchPosition) continue;
          if (message.timestamp !== timestampText) {
            timestampText = message.timestamp;
            timestamp = Number(timestampText);
          }
          buffer.records.push({
            offset,
            timestamp,
            key: message.key?.toString('utf8') ?? null,
            value: message.value ?? Buffer.alloc(0),
          });
          buffer.fetchPosition = offset + 1;
        }
        for (const wake of buffer.waiters.splice(0)) wake();
        if (buffer.records.length >= PAUSE_AT && !buffer.paused) {
          buffer.paused = true;
          this.consumer.pause([{ topic: this.topic, partitions: [batch.partition] }]);
        }
      },
    });
    await this.assigned;
  }

  /**
   * Up to `maxRecords` records from `from`. If the partition holds more (`end` > `from`), waits
   * for them up to `waitMs`; returns [] only at the end or after the wait.
   */
  async read(
    partition: number,
    from: number,
    maxRecords: number,
    end: number,
    waitMs = 5000,
  ): Promise<LogRecord[]> {
    let buffer = this.buffers.get(partition);
    const head = buffer?.records[0]?.offset ?? buffer?.fetchPosition;
    if (!buffer || head !== from) {
      buffer = { fetchPosition: from, records: [], paused: false, waiters: [] };
      this.buffers.set(partition, buffer);
      this.consumer.seek({ topic: this.topic, partition, offset: String(from) });
      // What was buffered is gone: a paused partition would wait out `waitMs` for nothing.
      this.consumer.resume([{ topic: this.topic, partitions: [partition] }]);
    }
    if (buffer.records.length === 0 && from < end) {
      const waiting = buffer;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        waiting.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const taken = buffer.records.splice(0, maxRecords);
    if (buffer.paused && buffer.records.length < RESUME_AT) {
      buffer.paused = false;
      this.consumer.resume([{ topic: this.topic, partitions: [partition] }]);
    }
    return taken;
  }

  /**
   * The partition's end offset as a fetch saw it in the last `maxAgeMs`: records up to there
   * exist. Undefined if no fetch brought it lately (a caller then asks the broker, ListOffsets).
   */
  knownEnd(partition: number, maxAgeMs = 1000): number | undefined {
    const seen = this.highWatermarks.get(partition);
    return seen && Date.now() - seen.at <= maxAgeMs ? seen.offset : undefined;
  }

  async commit(offsets: ReadonlyArray<{ partition: number; offset: number }>): Promise<void> {
    await this.consumer.commitOffsets(
      offsets.map((o) => ({ topic: this.topic, partition: o.partition, offset: String(o.offset) })),
    );
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
