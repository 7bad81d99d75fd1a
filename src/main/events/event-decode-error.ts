/**
 * A record in the log that is not a valid DownloadEvent. It carries where the record sits, so a
 * reader can put it aside (dead letters) with its position and carry on instead of crashing.
 */
export interface RecordPosition {
  readonly partition: number;
  readonly offset: number;
}

/**
 * How many bytes of an undecodable record are kept. A dead letter is for inspection: its start
 * shows what wrote it, and a huge bad record (a stray 50 MB value) must not be copied, held in
 * memory until the next checkpoint and stored whole.
 */
export const DEAD_LETTER_RAW_MAX = 4096;

export class EventDecodeError extends Error {
  override readonly name = 'EventDecodeError';
  readonly partition: number | null;
  readonly offset: number | null;
  /** The start of the undecodable bytes (at most DEAD_LETTER_RAW_MAX), copied out of the batch. */
  readonly raw: Buffer;
  /** The record's whole length in bytes. */
  readonly rawLength: number;

  constructor(reason: string, raw: Buffer, position?: RecordPosition, options?: ErrorOptions) {
    const where = position ? ` at partition ${position.partition}, offset ${position.offset}` : '';
    const kept = raw.length > DEAD_LETTER_RAW_MAX ? `; the first ${DEAD_LETTER_RAW_MAX} kept` : '';
    super(`undecodable event${where}: ${reason} (${raw.length} bytes${kept})`, options);
    this.partition = position?.partition ?? null;
    this.offset = position?.offset ?? null;
    this.raw = Buffer.from(raw.subarray(0, DEAD_LETTER_RAW_MAX));
    this.rawLength = raw.length;
  }
}
