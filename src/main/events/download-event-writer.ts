/**
 * A writer specialized for download-event.avsc: the same Avro binary as avsc's generic writer
 * (a test checks byte for byte, field order included), at a fraction of the cost. avsc's writer
 * spent ~520 ns an event, two thirds of the producer's time. This one writes fields in schema order
 * straight into the buffer: ASCII strings by a plain loop (no native call for a 7-byte user id),
 * numbers inline. (Memoizing string encodings in a Map was tried: the lookups cost more.)
 *
 * avsc stays the codec's authority: it reads every record, and the writer is checked against it.
 * If the schema changes, change this writer with it (the byte-equality test fails until you do).
 */
import {
  CONTENT_TYPES,
  DEVICE_TYPES,
  DOWNLOAD_STATUSES,
  NETWORK_TYPES,
  OPERATING_SYSTEMS,
} from '../../shared/domain';
import type { DownloadEvent } from './download-event';

/** Enum symbol → index, in the schema's symbol order (the shared lists are kept in that order). */
function indexOf(symbols: readonly string[]): Record<string, number> {
  return Object.fromEntries(symbols.map((symbol, i) => [symbol, i]));
}
const CONTENT_TYPE = indexOf(CONTENT_TYPES);
const DEVICE_TYPE = indexOf(DEVICE_TYPES);
const OS = indexOf(OPERATING_SYSTEMS);
const NETWORK = indexOf(NETWORK_TYPES);
const STATUS = indexOf(DOWNLOAD_STATUSES);

export class DownloadEventWriter {
  /** Writes `event` at `pos`; returns the end, or -(bytes missing) if `buf` is too small. */
  write(event: DownloadEvent, buf: Buffer, pos: number): number {
    // Strings are at most a few hundred bytes here; check room once with a generous bound.
    const room = buf.length - pos;
    const need = 96 + this.stringBytes(event);
    if (room < need) return -(need - room);
    let p = pos;
    const id = event.eventId;
    if (id.length !== 16) throw new TypeError(`eventId must be 16 bytes, got ${id.length}`);
    for (let i = 0; i < 16; i++) buf[p + i] = id[i]!;
    p += 16;
    p = writeLong(buf, p, event.eventTime);
    p = this.writeString(buf, p, event.userId);
    const content = event.content;
    p = this.writeString(buf, p, content.contentId);
    p = this.writeString(buf, p, content.title);
    p = writeLong(buf, p, enumIndex(CONTENT_TYPE, content.type, 'content.type'));
    p = writeLong(buf, p, content.sizeBytes);
    p = this.writeString(buf, p, event.region);
    const device = event.device;
    p = writeLong(buf, p, enumIndex(DEVICE_TYPE, device.type, 'device.type'));
    p = writeLong(buf, p, enumIndex(OS, device.os, 'device.os'));
    p = this.writeString(buf, p, device.osVersion);
    p = writeLong(buf, p, enumIndex(NETWORK, event.network, 'network'));
    p = writeLong(buf, p, enumIndex(STATUS, event.status, 'status'));
    buf.writeFloatLE(event.speedMbps, p);
    p += 4;
    p = writeLong(buf, p, event.durationMs);
    p = writeLong(buf, p, event.bytesDownloaded);
    if (event.errorCode === null) {
      buf[p++] = 0;
    } else {
      buf[p++] = 2; // union branch 1, zig-zag encoded
      p = this.writeString(buf, p, event.errorCode);
    }
    return p;
  }

  /** An upper bound of the bytes the event's strings take: UTF-8 needs at most 3 per UTF-16 unit. */
  private stringBytes(event: DownloadEvent): number {
    const chars =
      event.userId.length +
      event.content.contentId.length +
      event.content.title.length +
      event.region.length +
      event.device.osVersion.length +
      (event.errorCode?.length ?? 0);
    return chars * 3 + 6 * 10;
  }

  /** An Avro string: the UTF-8 length as a long, then the bytes. */
  private writeString(buf: Buffer, pos: number, value: string): number {
    if (typeof value !== 'string') throw new TypeError(`expected a string, got ${typeof value}`);
    const n = value.length;
    if (n < 64) {
      // Optimistic ASCII: the length fits one varint byte; bail out at the first non-ASCII unit.
      buf[pos] = n << 1;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c > 0x7f) break;
        buf[pos + 1 + i] = c;
      }
      if (i === n) return pos + 1 + n;
    }
    const byteLength = Buffer.byteLength(value, 'utf8');
    const start = writeLong(buf, pos, byteLength);
    return start + buf.write(value, start, 'utf8');
  }
}

function enumIndex(indices: Record<string, number>, symbol: string, field: string): number {
  const index = indices[symbol];
  if (index === undefined)
    throw new TypeError(`${field}: ${JSON.stringify(symbol)} is not a symbol of the schema`);
  return index;
}

/** Avro long: zig-zag, then a base-128 varint. Exact for every safe integer. */
export function writeLong(buf: Buffer, pos: number, value: number): number {
  if (!Number.isSafeInteger(value)) throw new TypeError(`expected a safe integer, got ${value}`);
  let p = pos;
  if (value >= -0x20000000 && value < 0x20000000) {
    // Fits in 31 bits after zig-zag: bit operations are exact.
    let n = (value << 1) ^ (value >> 31);
    while ((n & ~0x7f) !== 0) {
      buf[p++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[p++] = n;
    return p;
  }
  let n = value >= 0 ? value * 2 : -value * 2 - 1;
  while (n >= 0x80) {
    buf[p++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buf[p++] = n;
  return p;
}
