/**
 * The main thread's event-loop delay: how late timers fire, i.e. how long the window, IPC and
 * HTTP would wait. Reported as p99 and max over the last complete interval (default 10 s).
 */
import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';

export interface LoopDelay {
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly intervalMs: number;
}

export class LoopDelayMonitor {
  private readonly histogram: ELDHistogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private last: LoopDelay = { p99Ms: 0, maxMs: 0, intervalMs: 0 };

  constructor(intervalMs = 10_000) {
    this.intervalMs = intervalMs;
  }

  start(): void {
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.last = {
        p99Ms: this.histogram.percentile(99) / 1e6,
        maxMs: this.histogram.max / 1e6,
        intervalMs: this.intervalMs,
      };
      this.histogram.reset();
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.histogram.disable();
  }

  /** The last complete interval (zeros before the first one ends). */
  get latest(): LoopDelay {
    return this.last;
  }
}
