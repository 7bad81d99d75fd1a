/**
 * The events of an event-time range, decoded, as CSV or JSON lines: one implementation for the
 * HTTP API, the app's window and (its formatting and reading) `streampulse events export`.
 */
import { DownloadEventCodec } from '../events/download-event-codec';
import type { EventLog } from '../log/event-log';
import { csvHeader } from './csv';
import { EVENT_CSV_COLUMNS, eventCsvRecord, eventJsonLine, type LogEvent } from './event-rows';
import { readLogEvents, type UndecodableNote } from './log-event-reader';
import {
  CHUNK_CHARS,
  CSV_CONTENT_TYPE,
  exportFileName,
  JSONL_CONTENT_TYPE,
  once,
  type PreparedExport,
} from './prepared-export';

export type EventFormat = 'csv' | 'jsonl';

/** Batches of events as text chunks of about `chunkChars`; CSV starts with its header. */
export async function* formatEventChunks(
  batches: AsyncIterable<readonly LogEvent[]>,
  format: EventFormat,
  chunkChars = CHUNK_CHARS,
): AsyncGenerator<string, void, undefined> {
  const line = format === 'csv' ? eventCsvRecord : eventJsonLine;
  let chunk = format === 'csv' ? csvHeader(EVENT_CSV_COLUMNS) : '';
  for await (const batch of batches) {
    for (const event of batch) {
      chunk += line(event);
      if (chunk.length >= chunkChars) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk) yield chunk;
}

export interface EventExportRequest {
  readonly from: number;
  readonly to: number;
  readonly format: EventFormat;
  /** The engine's out-of-orderness + allowed lateness: how far past `to` partitions are read. */
  readonly horizonMs: number;
  readonly maxFutureMs: number;
  readonly onUndecodable?: (note: UndecodableNote) => void;
}

/**
 * Opens the log (read-only), fixes the partitions' ends and start offsets, and estimates the rows:
 * the records between each partition's offsets for `from` and for `to + horizon` (late events of
 * other ranges make it an upper bound, roughly).
 */
export async function prepareEventExport(
  openLog: () => Promise<EventLog>,
  request: EventExportRequest,
): Promise<PreparedExport> {
  const log = await openLog();
  const close = once(() => log.close());
  try {
    const { from, to, horizonMs } = request;
    const [starts, stops, ends] = await Promise.all([
      log.offsetsForTimestamp(from),
      log.offsetsForTimestamp(to + horizonMs),
      log.endOffsets(),
    ]);
    const endOf = new Map(ends.map((p) => [p.partition, p.offset]));
    let estimate = 0;
    for (const p of starts) {
      const stop = stops.find((s) => s.partition === p.partition)?.offset ?? p.offset;
      estimate += Math.max(0, Math.min(stop, endOf.get(p.partition) ?? 0) - p.offset);
    }
    const codec = new DownloadEventCodec();
    const batches = readLogEvents(log, codec, {
      starts: new Map(starts.map((p) => [p.partition, p.offset])),
      ends: endOf,
      range: { from, to, horizonMs, maxFutureMs: request.maxFutureMs },
      onUndecodable: request.onUndecodable,
    });
    async function* chunks(): AsyncGenerator<string, void, undefined> {
      try {
        yield* formatEventChunks(batches, request.format);
      } finally {
        await close();
      }
    }
    return {
      contentType: request.format === 'csv' ? CSV_CONTENT_TYPE : JSONL_CONTENT_TYPE,
      fileName: exportFileName('events', from, to, request.format),
      totalRows: estimate,
      totalIsExact: false,
      chunks: chunks(),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
