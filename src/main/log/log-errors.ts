/**
 * Errors the embedded event log throws on purpose, as classes so callers (the CLI, the
 * consumers) can tell "you asked for deleted data" from "the disk is broken" without parsing
 * messages.
 */

/** A read below the partition's start offset (deleted by retention) or beyond its end. */
export class OffsetOutOfRangeError extends Error {
  override readonly name = 'OffsetOutOfRangeError';

  constructor(
    readonly partition: number,
    readonly requestedOffset: number,
    readonly startOffset: number,
    readonly endOffset: number,
  ) {
    super(
      requestedOffset < startOffset
        ? `Offset ${requestedOffset} of partition ${partition} is no longer in the log: ` +
            `retention deleted it, the first readable offset is ${startOffset}. ` +
            `Read from ${startOffset} (or from a timestamp) instead.`
        : `Offset ${requestedOffset} of partition ${partition} is beyond the end of the log ` +
            `(next offset to be written: ${endOffset}).`,
    );
  }
}

/** A batch failed its CRC or structure check where it was expected to be whole. */
export class CorruptBatchError extends Error {
  override readonly name = 'CorruptBatchError';

  constructor(
    readonly file: string,
    readonly position: number,
    readonly reason: string,
  ) {
    super(`Corrupt batch in ${file} at byte ${position}: ${reason}.`);
  }
}

/** Another live process (or instance) writes this log. */
export class LogLockedError extends Error {
  override readonly name = 'LogLockedError';
}

/** The log on disk was created with settings that differ from the ones asked for. */
export class LogConfigMismatchError extends Error {
  override readonly name = 'LogConfigMismatchError';
}

/** Warnings the log reports instead of failing (a torn tail repaired, a stale lock taken over). */
export interface LogWarningSink {
  warn(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: LogWarningSink = { warn: () => {} };
