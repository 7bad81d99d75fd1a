/**
 * How an outage of the database reads in the logs: one line when it goes down (in words, with the
 * cause), one every 30 s while it stays down, one when it is back (how long it was down, and the
 * backlog the engine then catches up on), instead of a raw error every second. Pure: time and
 * the explained cause come in as arguments, the lines to write go out.
 */
export const OUTAGE_REMINDER_MS = 30_000;

export interface OutageLine {
  readonly level: 'warn' | 'info';
  readonly msg: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export class OutageReporter {
  private downSince: number | null = null;
  private lastLine = 0;
  private cause = '';

  /** The database failed at `now` because of `cause` (words a person can act on). */
  failed(now: number, cause: string): OutageLine | null {
    this.cause = cause;
    if (this.downSince === null) {
      this.downSince = now;
      this.lastLine = now;
      return {
        level: 'warn',
        msg: 'database unreachable; the engine retries every second and the events wait in the log',
        fields: { cause },
      };
    }
    if (now - this.lastLine < OUTAGE_REMINDER_MS) return null;
    this.lastLine = now;
    return {
      level: 'warn',
      msg: `database still unreachable after ${formatSeconds(now - this.downSince)}`,
      fields: { cause, downForMs: now - this.downSince },
    };
  }

  /** The database answered at `now`; `backlog` events wait in the log for the engine. */
  succeeded(now: number, backlog: number): OutageLine | null {
    if (this.downSince === null) return null;
    const downForMs = now - this.downSince;
    this.downSince = null;
    return {
      level: 'info',
      msg: `database reachable again after ${formatSeconds(downForMs)}; the engine catches up on ${backlog.toLocaleString('en-US')} events`,
      fields: { downForMs, backlog, lastCause: this.cause },
    };
  }

  /** Whether an outage is going on, and since when. */
  downSinceMs(): number | null {
    return this.downSince;
  }
}

function formatSeconds(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
