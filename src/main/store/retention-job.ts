/**
 * Deletes old rows every hour (or `everyMs`) by calling `streampulse_retention(now)`
 * (sql/002_retention.sql), which holds the limits. A run that fails is logged and retried at the
 * next tick: retention is housekeeping, never a reason to stop the pipeline.
 */
import type pg from 'pg';
import type { Logger } from '../logger';

export interface RetentionJobOptions {
  readonly pool: pg.Pool;
  readonly logger: Logger;
  /** Time between runs. Default one hour. */
  readonly everyMs?: number;
  /** Wall clock, ms. */
  readonly now?: () => number;
}

/** Rows deleted, by table. */
export type RetentionCounts = Readonly<Record<string, number>>;

export const DEFAULT_RETENTION_EVERY_MS = 60 * 60 * 1000;

export class RetentionJob {
  private readonly pool: pg.Pool;
  private readonly logger: Logger;
  private readonly everyMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private started = false;
  /** Bumped by start(): a run of an earlier start() must not schedule the next one. */
  private generation = 0;

  constructor(options: RetentionJobOptions) {
    this.pool = options.pool;
    this.logger = options.logger;
    this.everyMs = options.everyMs ?? DEFAULT_RETENTION_EVERY_MS;
    this.now = options.now ?? Date.now;
  }

  /** Runs once now (the app may have been closed for days), then every `everyMs`. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.generation++;
    this.tick(this.generation);
  }

  /** Stops the schedule and waits for a run in progress. */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass with `now` (ms) as the present; returns the rows deleted per table. */
  async runOnce(now: number = this.now()): Promise<RetentionCounts> {
    const { rows } = await this.pool.query<{ table_name: string; deleted: string }>(
      'SELECT table_name, deleted FROM streampulse_retention($1)',
      [new Date(now)],
    );
    // bigint arrives as a string; row counts fit a number.
    const counts = Object.fromEntries(rows.map((row) => [row.table_name, Number(row.deleted)]));
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    if (total > 0) this.logger.info('retention deleted old rows', { ...counts, total });
    else this.logger.debug('retention: nothing to delete');
    return counts;
  }

  private tick(generation: number): void {
    const run = this.runOnce().catch((error: unknown) => {
      this.logger.warn('retention failed; retrying at the next run', { error });
    });
    this.running = run;
    void run.finally(() => {
      if (this.running === run) this.running = undefined;
      if (!this.started || generation !== this.generation) return;
      this.timer = setTimeout(() => this.tick(generation), this.everyMs);
      // Housekeeping must not keep the process alive.
      this.timer.unref();
    });
  }
}
