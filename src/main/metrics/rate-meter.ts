/**
 * Events per second over a sliding window, from a monotonically growing counter sampled with
 * the time. Pure: the caller passes time in.
 */
export class RateMeter {
  private readonly windowMs: number;
  private readonly samples: Array<{ at: number; count: number }> = [];

  constructor(windowMs = 5000) {
    this.windowMs = windowMs;
  }

  /** Records the counter's value at `now`. */
  record(now: number, count: number): void {
    this.samples.push({ at: now, count });
    while (this.samples.length > 2 && this.samples[1]!.at <= now - this.windowMs)
      this.samples.shift();
  }

  /** Average rate per second over the window, 0 until two samples exist. */
  perSecond(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at <= first.at) return 0;
    return ((last.count - first.count) * 1000) / (last.at - first.at);
  }
}
