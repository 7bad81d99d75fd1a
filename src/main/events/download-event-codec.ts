/**
 * Avro binary encoding of DownloadEvents with avsc. Encoding writes into caller-owned buffers so a
 * batch of events becomes one buffer; decoding reads in place (no slice per record) and turns every
 * failure (truncated bytes, a bad enum or union index, trailing garbage) into an EventDecodeError.
 */
import avro from 'avsc';
import schemaText from './download-event.avsc?raw';
import type { DownloadEvent } from './download-event';
import { DownloadEventWriter } from './download-event-writer';
import { EventDecodeError, type RecordPosition } from './event-decode-error';

export const DOWNLOAD_EVENT_SCHEMA: avro.Schema = JSON.parse(schemaText) as avro.Schema;

export class DownloadEventCodec {
  readonly #type: avro.Type;
  readonly #writer = new DownloadEventWriter();

  constructor() {
    this.#type = avro.Type.forSchema(DOWNLOAD_EVENT_SCHEMA);
  }

  /**
   * Writes `event` into `buf` at `pos`. Returns the position after it, or a negative number
   * (minus the bytes missing) when the buffer is too small; the caller grows it and retries.
   */
  encodeInto(event: DownloadEvent, buf: Buffer, pos: number): number {
    return this.#writer.write(event, buf, pos);
  }

  /** One event as its own buffer (avsc's generic writer: the reference the fast one is checked against). */
  encode(event: DownloadEvent): Buffer {
    return this.#type.toBuffer(event);
  }

  /**
   * Decodes the record in `buf[start, end)`. `position` (partition and offset) goes into the
   * error, so a reader can dead-letter the record and continue.
   */
  decode(buf: Buffer, start = 0, end = buf.length, position?: RecordPosition): DownloadEvent {
    if (end <= start) {
      // Kafka's tombstones (a key with a null value) and empty values: no event can be 0 bytes.
      throw new EventDecodeError(
        'empty value (a tombstone, or a record written without a value)',
        Buffer.alloc(0),
        position,
      );
    }
    let decoded: { value: unknown; offset: number };
    try {
      // No subarray per record: a record that runs past `end` shows up as offset !== end below.
      decoded = this.#type.decode(buf, start);
    } catch (err) {
      // avsc throws on an out-of-range enum or union index.
      throw new EventDecodeError(
        err instanceof Error ? err.message : String(err),
        buf.subarray(start, end),
        position,
        { cause: err },
      );
    }
    if (decoded.offset < 0) {
      throw new EventDecodeError('truncated record', buf.subarray(start, end), position);
    }
    if (decoded.offset !== end) {
      throw new EventDecodeError(
        `${end - decoded.offset} trailing bytes after the record`,
        buf.subarray(start, end),
        position,
      );
    }
    return decoded.value as DownloadEvent;
  }
}
