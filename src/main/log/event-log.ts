/**
 * The event log contract. Two implementations share it: the embedded, file-backed log
 * (EmbeddedEventLog) and Apache Kafka (KafkaEventLog, @platformatic/kafka). It is shaped after
 * Kafka's own model so the Kafka implementation is a thin mapping: keyed records, partitions,
 * offsets per partition, consumer-group offsets and offsets for a timestamp.
 *
 * Offsets are JavaScript numbers (exact up to 2^53); the Kafka client speaks bigint, the Kafka
 * implementation converts at its edge.
 */
import type { PartitionerName } from './partitioner';

/**
 * Records to append, packed column-wise so a batch of a million events is one buffer,
 * not a million small ones. Record i's value is `values.subarray(valueEnds[i - 1] ?? 0, valueEnds[i])`.
 */
export interface PackedRecords {
  readonly count: number;
  /** Partitioning key of each record (the region). */
  readonly keys: readonly string[];
  /** Event time of each record, ms since the epoch. */
  readonly timestamps: ArrayLike<number>;
  /** All values back to back. */
  readonly values: Buffer;
  /** End offset (exclusive) of each value inside `values`. */
  readonly valueEnds: ArrayLike<number>;
}

/** One record as read back from the log. */
export interface LogRecord {
  readonly offset: number;
  readonly timestamp: number;
  readonly key: string | null;
  readonly value: Buffer;
}

export interface PartitionOffset {
  readonly partition: number;
  readonly offset: number;
}

/** What an append wrote to each partition it touched. */
export interface AppendedRange {
  readonly partition: number;
  /** Offset given to the first record of this append in this partition. */
  readonly baseOffset: number;
  readonly count: number;
}

export interface ReadOptions {
  /** At most this many records (default 10,000). */
  readonly maxRecords?: number;
  /** Stop after roughly this many bytes of values (default 8 MiB); at least one record is returned. */
  readonly maxBytes?: number;
}

/**
 * Offsets of a partition that hold data no record can be read from (on Kafka: a record batch
 * the client cannot decompress or parse). A reader sets them aside as dead letters and goes on.
 */
export interface UnreadableRange {
  readonly partition: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly reason: string;
}

export interface FetchedRecords {
  readonly partition: number;
  /** Records with offsets >= the requested offset, in offset order. Empty at the end of the log. */
  readonly records: readonly LogRecord[];
  /** Unreadable ranges this read passed over (before or among the records); absent when none. */
  readonly unreadable?: readonly UnreadableRange[];
  /** The offset to read from next. */
  readonly nextOffset: number;
  /** The partition's end offset (the offset the next appended record will get) when read. */
  readonly endOffset: number;
}

export interface RetentionPolicy {
  /** Delete data whose newest event time is older than this (default 7 days). */
  readonly maxAgeMs: number;
  /** Cap on the bytes one partition keeps on disk (oldest data goes first). */
  readonly maxBytesPerPartition: number;
}

export interface RetentionResult {
  readonly deletedSegments: number;
  readonly deletedBytes: number;
  /** The first offset still readable, per partition, after the pass. */
  readonly startOffsets: readonly PartitionOffset[];
}

export interface EventLog {
  readonly topic: string;
  readonly partitionCount: number;
  readonly partitioner: PartitionerName;

  /** Appends records; each goes to the partition the configured partitioner picks for its key. */
  append(records: PackedRecords): Promise<readonly AppendedRange[]>;

  /** Reads one partition from an offset. An offset below the start is an error (it was deleted). */
  read(partition: number, fromOffset: number, options?: ReadOptions): Promise<FetchedRecords>;

  /** The first readable offset of each partition. */
  startOffsets(): Promise<readonly PartitionOffset[]>;
  /** The end offset (next offset to be written) of each partition. */
  endOffsets(): Promise<readonly PartitionOffset[]>;

  /**
   * For each partition, the earliest offset whose record timestamp is >= `timestamp`
   * (Kafka's ListOffsets semantics); the end offset where there is none.
   */
  offsetsForTimestamp(timestamp: number): Promise<readonly PartitionOffset[]>;

  /** Stores a consumer group's next-offset-to-read per partition. */
  commitOffsets(groupId: string, offsets: readonly PartitionOffset[]): Promise<void>;
  /** A group's committed offsets; partitions it never committed are absent. */
  fetchCommittedOffsets(groupId: string): Promise<readonly PartitionOffset[]>;

  /** Deletes data past the retention policy, as of `now` (ms). */
  enforceRetention(now: number): Promise<RetentionResult>;

  /** Makes everything appended so far durable (fsync; for Kafka, acknowledged). */
  flush(): Promise<void>;

  /** Flushes to disk and releases files and connections. */
  close(): Promise<void>;
}
