/**
 * Runs an async task every `intervalMs`, never overlapping: if a run takes longer than the
 * interval the next one starts right after it. Errors go to `onError` and the ticker goes on.
 */
export class Ticker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<void> | void,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops, and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Waits for a run in progress (if any) to finish; the ticker goes on. */
  async idle(): Promise<void> {
    await this.running;
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      const began = Date.now();
      this.running = (async () => {
        try {
          await this.task();
        } catch (err) {
          this.onError(err);
        }
      })();
      void this.running.then(() => {
        this.running = null;
        if (!this.stopped) this.schedule(Math.max(0, this.intervalMs - (Date.now() - began)));
      });
    }, delay);
  }
}
