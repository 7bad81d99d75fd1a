/**
 * The hot half of append: sends each record of a PackedRecords to its partition and groups the
 * record indices by partition, with one Map lookup per record and no per-record allocation.
 * Keys are a handful of region names, so each distinct key is hashed and UTF-8 encoded once and
 * then known by a small integer id.
 */
import type { PackedRecords } from './event-log';
import { partitionerFor, type PartitionerName, type Partitioner } from './partitioner';
import { MAX_KEY_BYTES, type BatchSource } from './segment-format';

/** Past this many distinct keys the table starts over (arbitrary keys must not grow it forever). */
const MAX_CACHED_KEYS = 4096;

export interface RoutedRecords {
  /** What the batch encoder reads; keyIds index keyBytes. */
  readonly source: BatchSource;
  /** Record indices grouped by partition: partition p owns order[starts[p] .. starts[p + 1]). */
  readonly order: Uint32Array;
  readonly starts: Uint32Array;
}

export class RecordRouter {
  private readonly partitioner: Partitioner;
  private readonly ids = new Map<string, number>();
  private keyPartitions: number[] = [];
  private keyBytes: Buffer[] = [];
  // Scratch arrays reused across appends; grown to the largest append seen.
  private keyIds = new Uint32Array(0);
  private order = new Uint32Array(0);
  private readonly starts: Uint32Array;
  private readonly cursors: Uint32Array;

  constructor(
    partitionerName: PartitionerName,
    private readonly partitionCount: number,
  ) {
    this.partitioner = partitionerFor(partitionerName);
    this.starts = new Uint32Array(partitionCount + 1);
    this.cursors = new Uint32Array(partitionCount);
  }

  /** The partition a key goes to (same answer as cachedPartitioner(partitionerFor(name), n)). */
  partitionOf(key: string): number {
    return this.keyPartitions[this.idOf(key)]!;
  }

  private idOf(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      const bytes = Buffer.from(key, 'utf8');
      if (bytes.length > MAX_KEY_BYTES) {
        throw new Error(`A record key is ${bytes.length} bytes; the log allows ${MAX_KEY_BYTES}.`);
      }
      id = this.keyBytes.length;
      this.ids.set(key, id);
      this.keyBytes.push(bytes);
      this.keyPartitions.push(this.partitioner(key, this.partitionCount));
    }
    return id;
  }

  /**
   * Routes records and checks the packed columns are consistent (a bad valueEnds would write
   * garbage lengths to disk). The result's arrays are reused by the next call.
   */
  route(records: PackedRecords): RoutedRecords {
    const { count, keys, timestamps, values, valueEnds } = records;
    if (keys.length < count || timestamps.length < count || valueEnds.length < count) {
      throw new Error(`PackedRecords: count is ${count} but a column is shorter`);
    }
    if (this.ids.size > MAX_CACHED_KEYS) {
      // Ids only need to be stable within one append.
      this.ids.clear();
      this.keyBytes = [];
      this.keyPartitions = [];
    }
    if (this.keyIds.length < count) {
      this.keyIds = new Uint32Array(count);
      this.order = new Uint32Array(count);
    }
    const { keyIds, order, starts, cursors, keyPartitions } = this;
    starts.fill(0);
    let previousEnd = 0;
    for (let i = 0; i < count; i++) {
      const id = this.idOf(keys[i]!);
      keyIds[i] = id;
      starts[keyPartitions[id]! + 1]!++;
      const end = valueEnds[i]!;
      if (!(end >= previousEnd && end <= values.length)) {
        throw new Error(
          `PackedRecords: valueEnds[${i}] = ${end} is out of order or past the values`,
        );
      }
      previousEnd = end;
    }
    for (let p = 0; p < this.partitionCount; p++) {
      starts[p + 1]! += starts[p]!;
      cursors[p] = starts[p]!;
    }
    for (let i = 0; i < count; i++) order[cursors[keyPartitions[keyIds[i]!]!]!++] = i;
    return {
      source: { timestamps, values, valueEnds, keyIds, keyBytes: this.keyBytes },
      order,
      starts,
    };
  }
}
