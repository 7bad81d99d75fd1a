/**
 * Decodes log records into events, setting aside the ones that do not decode (with partition and
 * offset) instead of throwing: one bad record must never stop a reader.
 */
import type { LogRecord } from '../log/event-log';
import type { DownloadEvent } from './download-event';
import type { DownloadEventCodec } from './download-event-codec';
import { EventDecodeError } from './event-decode-error';

export interface DecodedRecord {
  readonly offset: number;
  readonly event: DownloadEvent;
}

export interface DecodedRecords {
  readonly decoded: DecodedRecord[];
  readonly failed: EventDecodeError[];
}

export function decodeRecords(
  codec: DownloadEventCodec,
  partition: number,
  records: readonly LogRecord[],
): DecodedRecords {
  const decoded: DecodedRecord[] = [];
  const failed: EventDecodeError[] = [];
  for (const record of records) {
    try {
      const event = codec.decode(record.value, 0, record.value.length, {
        partition,
        offset: record.offset,
      });
      decoded.push({ offset: record.offset, event });
    } catch (err) {
      if (!(err instanceof EventDecodeError)) throw err;
      failed.push(err);
    }
  }
  return { decoded, failed };
}
