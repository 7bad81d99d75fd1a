/**
 * Reads decoded events out of the log, partition by partition in offset order, between given
 * start offsets and the ends the caller fixed (an export is complete up to the log as it stood
 * when it began, whatever is appended meanwhile). Records that do not decode are reported and
 * skipped, never fatal.
 *
 * A time range [from, to) is read with the log's time index and a stop rule, because the log is
 * ordered by offset, not by event time:
 * - each partition starts at its offset for `from` (Kafka's ListOffsets: no earlier record has a
 *   timestamp >= from), so nothing in range comes before it;
 * - it stops once the partition's newest event time reaches `to + horizonMs`, the horizon being
 *   the engine's out-of-orderness plus its allowed lateness: by then the engine's watermark has
 *   passed the range's end by the allowed lateness, so an event of the range arriving later would
 *   be too late for the windows too (kept aside in late_events). The export therefore holds the
 *   events the windows could count, and reads little past the range;
 * - an event whose time jumps more than `maxFutureMs` past the newest so far does not advance it
 *   (a clock gone wrong must not end the read early), as the engine does with its watermark;
 * - events are kept exactly when from <= eventTime < to.
 */
import { decodeRecords } from '../events/decode-records';
import type { DownloadEventCodec } from '../events/download-event-codec';
import type { EventLog } from '../log/event-log';
import type { LogEvent } from './event-rows';

export interface EventTimeRange {
  readonly from: number;
  readonly to: number;
  /** How far past `to` a partition is read: out-of-orderness + allowed lateness. */
  readonly horizonMs: number;
  /** A jump of more than this past the newest event time does not count towards the stop. */
  readonly maxFutureMs: number;
}

/** Records that could not be exported: one record (`lastOffset` absent) or an unreadable range. */
export interface UndecodableNote {
  readonly partition: number;
  readonly offset: number | null;
  readonly lastOffset?: number;
  readonly error: string;
  readonly count: number;
}

export interface ReadLogEventsOptions {
  /** Where each partition's read begins; partitions are read in this map's order. */
  readonly starts: ReadonlyMap<number, number>;
  /** Each partition's end (exclusive), fixed when the export began. */
  readonly ends: ReadonlyMap<number, number>;
  /** Only the events of this range (see above); absent: every event between starts and ends. */
  readonly range?: EventTimeRange;
  /** Stop after this many events. */
  readonly limit?: number;
  readonly onUndecodable?: (note: UndecodableNote) => void;
  /** Stops the read between two reads of the log. */
  readonly signal?: AbortSignal;
}

/** A read that returns nothing where the log says there are records, this many times, fails. */
const MAX_EMPTY_READS = 3;

/** Yields the events in batches (one per read of the log, at most 10,000). */
export async function* readLogEvents(
  log: EventLog,
  codec: DownloadEventCodec,
  options: ReadLogEventsOptions,
): AsyncGenerator<LogEvent[], void, undefined> {
  const { range, onUndecodable, signal } = options;
  const limit = options.limit ?? Infinity;
  let exported = 0;
  for (const [partition, start] of options.starts) {
    const end = options.ends.get(partition) ?? 0;
    const stopAt = range ? range.to + range.horizonMs : Infinity;
    let newest = -Infinity;
    let offset = start;
    let emptyReads = 0;
    while (exported < limit && offset < end && newest < stopAt) {
      signal?.throwIfAborted();
      const fetched = await log.read(partition, offset);
      for (const r of fetched.unreadable ?? []) {
        onUndecodable?.({
          partition,
          offset: r.firstOffset,
          lastOffset: r.lastOffset,
          error: r.reason,
          count: r.lastOffset - r.firstOffset + 1,
        });
      }
      if (fetched.nextOffset === offset) {
        // Records the log says it has did not come (each read waits up to 5 s): say so.
        if (++emptyReads >= MAX_EMPTY_READS)
          throw new Error(
            `could not read partition ${partition} from offset ${offset} (its end was ${end} when the export began)`,
          );
        continue;
      }
      emptyReads = 0;
      let records = fetched.records.filter((r) => r.offset < end);
      if (range) {
        // Cut the batch at the first record that takes the newest event time to the stop point.
        for (let i = 0; i < records.length; i++) {
          const t = records[i]!.timestamp;
          if (newest === -Infinity || t - newest <= range.maxFutureMs) newest = Math.max(newest, t);
          if (newest >= stopAt) {
            records = records.slice(0, i);
            break;
          }
        }
      }
      const { decoded, failed } = decodeRecords(codec, partition, records);
      for (const error of failed) {
        onUndecodable?.({
          partition: error.partition ?? partition,
          offset: error.offset,
          error: error.message,
          count: 1,
        });
      }
      const batch: LogEvent[] = [];
      for (const { offset: at, event } of decoded) {
        if (exported >= limit) break;
        if (range && (event.eventTime < range.from || event.eventTime >= range.to)) continue;
        batch.push({ partition, offset: at, event });
        exported++;
      }
      if (batch.length > 0) yield batch;
      offset = fetched.nextOffset;
    }
  }
}
