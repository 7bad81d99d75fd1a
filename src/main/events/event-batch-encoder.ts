/**
 * Encodes events into one PackedRecords batch: all values in one buffer, keyed by region, ready
 * for EventLog.append. Each `finish()` hands over fresh buffers, so a batch stays valid while an
 * asynchronous append (Kafka) still holds it.
 */
import type { PackedRecords } from '../log/event-log';
import type { DownloadEvent } from './download-event';
import type { DownloadEventCodec } from './download-event-codec';

/** A typical event is ~100 bytes; start with room for that many, then double. */
const BYTES_PER_EVENT_GUESS = 128;

export class EventBatchEncoder {
  private readonly codec: DownloadEventCodec;
  private buffer: Buffer;
  private position = 0;
  private keys: string[] = [];
  private timestamps: Float64Array;
  private valueEnds: Uint32Array;
  private count = 0;

  constructor(codec: DownloadEventCodec, expectedEvents = 1024) {
    this.codec = codec;
    this.buffer = Buffer.allocUnsafe(expectedEvents * BYTES_PER_EVENT_GUESS);
    this.timestamps = new Float64Array(expectedEvents);
    this.valueEnds = new Uint32Array(expectedEvents);
  }

  get size(): number {
    return this.count;
  }

  /** Encodes one event (it may be a reused scratch object: nothing of it is kept). */
  readonly add = (event: DownloadEvent): void => {
    let end = this.codec.encodeInto(event, this.buffer, this.position);
    while (end < 0) {
      this.grow(-end);
      end = this.codec.encodeInto(event, this.buffer, this.position);
    }
    if (this.count === this.valueEnds.length) this.growIndex();
    this.position = end;
    this.keys.push(event.region);
    this.timestamps[this.count] = event.eventTime;
    this.valueEnds[this.count] = end;
    this.count++;
  };

  /** The batch so far; the encoder starts a new one. */
  finish(): PackedRecords {
    const batch: PackedRecords = {
      count: this.count,
      keys: this.keys,
      timestamps: this.timestamps.subarray(0, this.count),
      values: this.buffer.subarray(0, this.position),
      valueEnds: this.valueEnds.subarray(0, this.count),
    };
    const capacity = Math.max(1024, this.count);
    this.buffer = Buffer.allocUnsafe(
      Math.max(this.buffer.length, capacity * BYTES_PER_EVENT_GUESS),
    );
    this.timestamps = new Float64Array(capacity);
    this.valueEnds = new Uint32Array(capacity);
    this.keys = [];
    this.position = 0;
    this.count = 0;
    return batch;
  }

  private grow(missing: number): void {
    const next = Buffer.allocUnsafe(
      Math.max(this.buffer.length * 2, this.position + missing + 1024),
    );
    this.buffer.copy(next, 0, 0, this.position);
    this.buffer = next;
  }

  private growIndex(): void {
    const timestamps = new Float64Array(this.timestamps.length * 2);
    timestamps.set(this.timestamps);
    this.timestamps = timestamps;
    const valueEnds = new Uint32Array(this.valueEnds.length * 2);
    valueEnds.set(this.valueEnds);
    this.valueEnds = valueEnds;
  }
}
