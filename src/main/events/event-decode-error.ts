/**
 * A record in the log that is not a valid DownloadEvent. It carries where the record sits, so a
 * reader can put it aside (dead letters) with its position and carry on instead of crashing.
 */
export interface RecordPosition {
  readonly partition: number;
  readonly offset: number;
}

export class EventDecodeError extends Error {
  override readonly name = 'EventDecodeError';
  readonly partition: number | null;
  readonly offset: number | null;
  /** The undecodable bytes, kept so they can be stored and inspected. */
  readonly raw: Buffer;

  constructor(reason: string, raw: Buffer, position?: RecordPosition, options?: ErrorOptions) {
    const where = position ? ` at partition ${position.partition}, offset ${position.offset}` : '';
    super(`undecodable event${where}: ${reason} (${raw.length} bytes)`, options);
    this.partition = position?.partition ?? null;
    this.offset = position?.offset ?? null;
    this.raw = raw;
  }
}
