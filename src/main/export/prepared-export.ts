/**
 * An export ready to stream: what the answer's headers need (known before the first byte, so a
 * problem is still a clean error), and the body as text chunks that hold open resources (a log
 * reader, a database cursor) until they are read to the end, abandoned, or closed.
 */
export interface PreparedExport {
  readonly contentType: string;
  /** A file name for Content-Disposition and the save dialog. */
  readonly fileName: string;
  /** The rows to expect (without the CSV header): exact for tables, an estimate for events. */
  readonly totalRows: number | null;
  readonly totalIsExact: boolean;
  /**
   * The body. Iterate it once; leaving the loop early (break, throw, the client gone) releases
   * the resources, as does reaching the end.
   */
  readonly chunks: AsyncIterable<string>;
  /** Releases the resources without streaming (HEAD, an error before the first chunk). Idempotent. */
  close(): Promise<void>;
}

export { exportFileName } from '../../shared/export-contract';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';
export const JSONL_CONTENT_TYPE = 'application/x-ndjson; charset=utf-8';

/** Chunks are cut at about this many characters: big enough to be cheap, small for progress. */
export const CHUNK_CHARS = 64 * 1024;

/** Runs `close` once, however many times it is called. */
export function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () => (closing ??= close());
}
