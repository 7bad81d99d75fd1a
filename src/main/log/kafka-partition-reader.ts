/**
 * The EventLog's pull, `read(partition, offset)`, on Kafka's Fetch API (@platformatic/kafka's
 * `consumer.fetch`): no consumer group and no assignment. The engine's Postgres checkpoint says
 * where each partition continues, so the reader fetches exactly those offsets, and anything else
 * reading the topic (an export, a second tool) neither joins nor disturbs a group.
 *
 * Records are buffered per partition; one fetch for every partition that runs low is kept in
 * flight while the engine works on what came before (fetching overlaps processing). A read at
 * another offset than the buffer's head seeks: the buffer starts over there, and a fetch that was
 * in flight for the old position is dropped, so a read never skips or repeats a record.
 *
 * A record batch the client cannot read (an unknown codec, a corrupt compressed payload) fails
 * the whole fetch. The reader then finds the unreadable range of that partition by probing single
 * batches, hands it out as an `UnreadableRange` (the engine dead-letters it) and goes on after it.
 */
import type { Consumer } from '@platformatic/kafka';
import type { LogRecord, UnreadableRange } from './event-log';
import { errorsWithin, isUnreadableBatch } from './kafka-settings';

/** Fetch a partition again once fewer than this many of its records are buffered. */
const REFILL_BELOW = 20_000;
/** A read that must wait for records the log has gives up after this long and returns none. */
const READ_WAIT_MS = 5000;

export interface KafkaReaderTuning {
  /**
   * Bytes one fetch may return in all (default 1 MiB a partition: the client parses a response
   * in one go, so the client's 50 MB default blocked the reading thread for seconds).
   */
  readonly maxBytes?: number;
  /** Bytes one partition may return in one fetch (default 1 MiB). */
  readonly partitionMaxBytes?: number;
  /** How long the broker may wait for `minBytes` (default 100 ms). */
  readonly maxWaitTime?: number;
  /** Under load a fetch waits for this much data (default 64 KiB) or `maxWaitTime`. */
  readonly minBytes?: number;
}

interface PartitionBuffer {
  /** The offset the next fetch of this partition asks for. */
  position: number;
  records: LogRecord[];
  /** Index of the first record not yet read (cheaper than shifting the array). */
  head: number;
  unreadable: UnreadableRange[];
}

interface FetchedPartition {
  readonly partition: number;
  readonly requested: number;
  readonly records: LogRecord[];
  readonly highWatermark: number;
  /** The first offset of the first batch fetched (it can start before `requested`). */
  readonly batchStart: number | null;
}

export class KafkaPartitionReader {
  private readonly consumer: Consumer;
  private readonly topic: string;
  private readonly tuning: Required<KafkaReaderTuning>;
  private readonly buffers = new Map<number, PartitionBuffer>();
  /** Each partition's end offset (high watermark) from its latest fetch, and when. */
  private readonly highWatermarks = new Map<number, { offset: number; at: number }>();
  private inFlight: Promise<void> | null = null;
  private lastError: unknown = null;
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(consumer: Consumer, topic: string, tuning: KafkaReaderTuning = {}) {
    this.consumer = consumer;
    this.topic = topic;
    this.tuning = {
      maxBytes: tuning.maxBytes ?? 3 * 1024 * 1024,
      partitionMaxBytes: tuning.partitionMaxBytes ?? 1024 * 1024,
      maxWaitTime: tuning.maxWaitTime ?? 100,
      minBytes: tuning.minBytes ?? 64 * 1024,
    };
    this.consumer.topics.track(topic);
  }

  /**
   * Up to `maxRecords` records from `from`, and any unreadable range that starts there. If the
   * partition holds more (`end` > `from`) and none are buffered, waits for a fetch up to
   * `waitMs`; returns none only at the end or after the wait. A failed fetch is thrown.
   */
  async read(
    partition: number,
    from: number,
    maxRecords: number,
    end: number,
    waitMs = READ_WAIT_MS,
  ): Promise<{ records: LogRecord[]; unreadable: UnreadableRange[] }> {
    let buffer = this.buffers.get(partition);
    const head = buffer ? (buffer.records[buffer.head]?.offset ?? buffer.position) : undefined;
    if (!buffer || head !== from) {
      buffer = { position: from, records: [], head: 0, unreadable: [] };
      this.buffers.set(partition, buffer);
    }
    if (buffer.head >= buffer.records.length && buffer.unreadable.length === 0 && from < end) {
      const deadline = Date.now() + waitMs;
      while (
        buffer.head >= buffer.records.length &&
        buffer.unreadable.length === 0 &&
        Date.now() < deadline &&
        !this.closed
      ) {
        this.refill();
        const error = this.lastError;
        if (error) {
          this.lastError = null;
          throw error;
        }
        await this.nextFetch(deadline - Date.now());
      }
    }
    const unreadable = buffer.unreadable.splice(0);
    const taken = buffer.records.slice(buffer.head, buffer.head + maxRecords);
    buffer.head += taken.length;
    if (buffer.head >= buffer.records.length) {
      buffer.records = [];
      buffer.head = 0;
    }
    this.refill();
    return { records: taken, unreadable };
  }

  /**
   * The partition's end offset as a fetch saw it in the last `maxAgeMs`: records up to there
   * exist. Undefined if no fetch brought it lately (a caller then asks the broker, ListOffsets).
   */
  knownEnd(partition: number, maxAgeMs = 1000): number | undefined {
    const seen = this.highWatermarks.get(partition);
    return seen && Date.now() - seen.at <= maxAgeMs ? seen.offset : undefined;
  }

  close(): void {
    this.closed = true;
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Starts a fetch of the partitions that run low, unless one is in flight. */
  private refill(): void {
    if (this.inFlight || this.closed) return;
    const wanted = [...this.buffers].filter(
      ([, b]) => b.records.length - b.head < REFILL_BELOW && b.unreadable.length === 0,
    );
    if (wanted.length === 0) return;
    const requested = new Map(wanted.map(([partition, b]) => [partition, b.position]));
    this.inFlight = this.fetch(requested)
      .then(
        (fetched) => this.apply(fetched),
        async (error: unknown) => {
          if (isUnreadableBatch(error) && !this.closed) await this.isolate(requested);
          else this.lastError = error;
        },
      )
      .finally(() => {
        this.inFlight = null;
        for (const wake of this.waiters.splice(0)) wake();
      });
  }

  private nextFetch(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, timeoutMs));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Buffers what a fetch brought, for partitions still at the position it asked for. */
  private apply(fetched: readonly FetchedPartition[]): void {
    const now = Date.now();
    for (const { partition, requested, records, highWatermark } of fetched) {
      // The latest, not the greatest: a topic deleted and made again starts over.
      this.highWatermarks.set(partition, { offset: highWatermark, at: now });
      const buffer = this.buffers.get(partition);
      // Fetched before a seek: the buffer is elsewhere now.
      if (!buffer || buffer.position !== requested || records.length === 0) continue;
      for (const record of records) buffer.records.push(record);
      buffer.position = records[records.length - 1]!.offset + 1;
    }
  }

  /** Fetch requests for `requested` (partition → offset): one to each partition leader. */
  private async fetch(
    requested: ReadonlyMap<number, number>,
    partitionMaxBytes = this.tuning.partitionMaxBytes,
  ): Promise<FetchedPartition[]> {
    // The client caches metadata (5 s) and refreshes it when a leader moves; a topic made again
    // gets a new id, so the id is never kept here.
    const metadata = await this.consumer.metadata({ topics: [this.topic] });
    const topic = metadata.topics.get(this.topic);
    if (!topic) throw new Error(`topic "${this.topic}" is not in the cluster's metadata`);
    const byLeader = new Map<number, Array<[number, number]>>();
    for (const entry of requested) {
      const leader = topic.partitions[entry[0]]?.leader ?? -1;
      // A leader being elected: the caller retries (the engine's loop does, after a second).
      if (leader < 0)
        throw new Error(`partition ${entry[0]} of "${this.topic}" has no leader at the moment`);
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), entry]);
    }
    const probing = partitionMaxBytes < this.tuning.partitionMaxBytes;
    const responses = await Promise.all(
      [...byLeader].map(([node, partitions]) =>
        this.consumer.fetch({
          node,
          maxBytes: Math.max(partitionMaxBytes, this.tuning.maxBytes),
          minBytes: probing ? 0 : this.tuning.minBytes,
          maxWaitTime: probing ? 0 : this.tuning.maxWaitTime,
          topics: [
            {
              topicId: topic.id,
              partitions: partitions.map(([partition, offset]) => ({
                partition,
                currentLeaderEpoch: -1,
                fetchOffset: BigInt(offset),
                lastFetchedEpoch: -1,
                partitionMaxBytes,
              })),
            },
          ],
        }),
      ),
    );
    const fetched: FetchedPartition[] = [];
    for (const answer of responses.flatMap((r) => r.responses).flatMap((t) => t.partitions)) {
      const from = requested.get(answer.partitionIndex);
      if (from === undefined) continue;
      fetched.push({
        partition: answer.partitionIndex,
        requested: from,
        records: recordsFrom(answer.records ?? [], from),
        highWatermark: Number(answer.highWatermark),
        batchStart: answer.records?.[0] ? Number(answer.records[0].firstOffset) : null,
      });
    }
    return fetched;
  }

  /**
   * A fetch failed on a batch it could not read: fetch each partition alone to find which, then
   * its unreadable range, and go on after it. Partitions that read fine are buffered as usual.
   */
  private async isolate(requested: ReadonlyMap<number, number>): Promise<void> {
    for (const [partition, offset] of requested) {
      try {
        this.apply(await this.fetch(new Map([[partition, offset]])));
      } catch (error) {
        if (!isUnreadableBatch(error)) {
          this.lastError = error;
          return;
        }
        // The batch at `offset` may read fine and a later one in the response not: take the one
        // batch (the next fetch goes on from after it), or find the unreadable range it starts.
        const single = await this.probeFetch(partition, offset);
        if (single) {
          this.apply([single]);
          continue;
        }
        const range = await this.unreadableRange(partition, offset, error);
        const buffer = this.buffers.get(partition);
        if (!buffer || buffer.position !== offset) continue;
        buffer.unreadable.push(range);
        buffer.position = range.lastOffset + 1;
      }
    }
  }

  /**
   * Where the unreadable data that starts at `first` ends: the first readable batch after it,
   * found by probing single batches (a fetch of 1 byte returns exactly one whole batch) at
   * doubling distances, then halving back: about 2·log2 of the range's length in fetches. It
   * assumes one unreadable run (as a damaged stretch of a segment is): a readable batch between
   * two unreadable ones that the probes jump over is counted in the range.
   */
  private async unreadableRange(
    partition: number,
    first: number,
    error: unknown,
  ): Promise<UnreadableRange> {
    /** The start of the readable batch holding `offset`, the end offset if none; null if unreadable. */
    const probe = async (offset: number): Promise<number | null> => {
      const answer = await this.probeFetch(partition, offset);
      return answer ? (answer.batchStart ?? answer.highWatermark) : null;
    };
    const ends = await this.consumer.listOffsets({
      topics: [this.topic],
      partitions: { [this.topic]: [partition] },
    });
    const end = Number(ends.get(this.topic)?.[partition] ?? BigInt(first + 1));
    // Gallop: probe first + 1, + 2, + 4, ... (never past the end) until a batch reads.
    let failed = first;
    let readable = end;
    for (let step = 1; first + step < end; step *= 2) {
      const start = await probe(first + step);
      if (start !== null) {
        readable = start;
        break;
      }
      failed = first + step;
    }
    // Narrow: the first readable batch after `failed` (each probe halves the gap).
    while (readable - failed > 1) {
      const mid = failed + Math.floor((readable - failed) / 2);
      const start = await probe(mid);
      if (start === null) failed = mid;
      else readable = Math.max(failed + 1, start);
    }
    return {
      partition,
      firstOffset: first,
      lastOffset: Math.max(first, readable - 1),
      reason: unreadableReason(error),
    };
  }

  /** One batch of `partition` at `offset` (a 1-byte fetch returns one whole batch); null if unreadable. */
  private async probeFetch(partition: number, offset: number): Promise<FetchedPartition | null> {
    try {
      const [answer] = await this.fetch(new Map([[partition, offset]]), 1);
      if (answer)
        this.highWatermarks.set(partition, { offset: answer.highWatermark, at: Date.now() });
      // Probes are at offsets below the end, where a batch is: the broker answers with it.
      if (!answer)
        throw new Error(`the broker sent nothing for partition ${partition} at ${offset}`);
      return answer;
    } catch (error) {
      if (isUnreadableBatch(error)) return null;
      throw error;
    }
  }
}

type FetchedBatches = NonNullable<
  Awaited<ReturnType<Consumer['fetch']>>['responses'][number]['partitions'][number]['records']
>;

const IS_CONTROL = 1 << 5;

/** A partition's fetched batches as LogRecords from `from` on (a batch may start before it). */
export function recordsFrom(batches: FetchedBatches, from: number): LogRecord[] {
  const records: LogRecord[] = [];
  // Keys are regions: a handful, repeated. Neighbours mostly share one, so the last key's string
  // is reused while the bytes are the same (one memcmp instead of a UTF-8 decode and a string).
  let lastKey: Buffer | null = null;
  let lastKeyText: string | null = null;
  for (const batch of batches) {
    // Transaction markers are not records.
    if (batch.attributes & IS_CONTROL) continue;
    const base = Number(batch.firstOffset);
    const baseTime = Number(batch.firstTimestamp);
    for (const record of batch.records) {
      const offset = base + record.offsetDelta;
      if (offset < from) continue;
      const key = record.key;
      if (key && !(lastKey && lastKey.equals(key))) {
        lastKey = key;
        lastKeyText = key.toString('utf8');
      }
      records.push({
        offset,
        timestamp: baseTime + Number(record.timestampDelta),
        key: key ? lastKeyText : null,
        value: record.value ?? EMPTY,
      });
    }
  }
  return records;
}

const EMPTY = Buffer.alloc(0);

function unreadableReason(error: unknown): string {
  // The innermost of the first few: the decoder's own words, under the client's wrappers.
  const messages = errorsWithin(error)
    .slice(0, 4)
    .map((e) => e.message);
  return `record batch the client cannot read: ${messages[messages.length - 1] ?? String(error)}`;
}
