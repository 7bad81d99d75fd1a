/**
 * Paces event emission at a rate that can change at any moment. Each event has an exact due time
 * (the previous one plus 1000/rate ms), so the long-run rate is exact at 0.1/s and at 1M/s alike,
 * and events get evenly spread event times. Time is passed in: the same code runs on the wall
 * clock and on a virtual one.
 *
 * It is a token bucket: if the caller falls behind by more than `maxBacklogMs` (a paused process,
 * a slow machine), the backlog beyond that is dropped rather than released as one huge burst.
 */
import { RATE_LIMITS } from '../../shared/settings/limits';
import { requireNumberInRange } from '../../shared/validation-error';

/** The event rate's bounds, events per second (the settings catalogue's). */
export const MIN_RATE = RATE_LIMITS.min;
export const MAX_RATE = RATE_LIMITS.max;

export interface DueEvents {
  readonly count: number;
  /** Due time of the first event (fractional ms). */
  readonly firstAt: number;
  /** Spacing between consecutive events, ms. */
  readonly intervalMs: number;
}

export class RatePacer {
  private rate: number;
  private nextDueAt: number;
  private readonly maxBacklogMs: number;

  constructor(ratePerSecond: number, startAt: number, maxBacklogMs = 1000) {
    this.rate = RatePacer.validRate(ratePerSecond);
    this.nextDueAt = startAt;
    this.maxBacklogMs = maxBacklogMs;
  }

  static validRate(rate: number): number {
    return requireNumberInRange('rate', rate, MIN_RATE, MAX_RATE);
  }

  get ratePerSecond(): number {
    return this.rate;
  }

  /** Changes the rate from `now` on; events already due keep their times. */
  setRate(ratePerSecond: number, now: number): void {
    const rate = RatePacer.validRate(ratePerSecond);
    // Re-space the next event from now, so lowering 1M/s to 0.1/s does not wait for an old due time.
    if (this.nextDueAt > now) this.nextDueAt = Math.min(this.nextDueAt, now + 1000 / rate);
    this.rate = rate;
  }

  /** Forgets anything due before `now` (after a pause): the next event is due at `now`. */
  skipTo(now: number): void {
    this.nextDueAt = Math.max(this.nextDueAt, now);
  }

  /** Events due by `now` (at most `max`), and advances past them. */
  take(now: number, max = Number.MAX_SAFE_INTEGER): DueEvents {
    const intervalMs = 1000 / this.rate;
    if (now - this.nextDueAt > this.maxBacklogMs) this.nextDueAt = now - this.maxBacklogMs;
    if (this.nextDueAt > now) return { count: 0, firstAt: this.nextDueAt, intervalMs };
    const count = Math.min(max, Math.floor((now - this.nextDueAt) / intervalMs) + 1);
    const firstAt = this.nextDueAt;
    this.nextDueAt += count * intervalMs;
    return { count, firstAt, intervalMs };
  }
}
