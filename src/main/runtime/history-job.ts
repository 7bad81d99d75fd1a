/**
 * "Generate history": N hours of past events, computed straight into the tables. History cannot
 * go through the log: appended after live events, old event times would all be late. So the job
 * generates events in virtual time for the hours *before* the earliest data the tables hold (no
 * window overlaps existing rows), runs them through its own WindowEngine (same rules, same
 * partitions) and upserts the rows and alerts. It works in chunks, so the live engine keeps going
 * between them.
 */
import type { HistoryStatus } from '../../shared/api-contract';
import type { DecodedRecord } from '../events/decode-records';
import { DownloadEventGenerator } from '../generator/download-event-generator';
import type { CheckpointPort } from '../engine/checkpoint-port';
import type { EngineConfig } from '../engine/engine-config';
import { WindowEngine, type EngineOutput } from '../engine/window-engine';
import { emptyRows, type WindowRows } from '../engine/window-rows';
import { windowStartOf } from '../engine/windows';

export interface HistoryJobOptions {
  readonly hours: number;
  readonly ratePerSecond: number;
  readonly seed: string;
  readonly config: EngineConfig;
  readonly partitions: readonly number[];
  readonly partitionOf: (region: string) => number;
  /** Writes rows and alerts (with no engine snapshot: the live engine's checkpoint is untouched). */
  readonly store: CheckpointPort;
  readonly now: () => number;
  /** Start of the live engine's earliest open window (its rows are not in the tables yet). */
  readonly earliestLiveWindow: () => number | null;
}

/** Events generated and processed per step. */
const CHUNK = 20_000;

export class HistoryJob {
  private readonly options: HistoryJobOptions;
  private range: { from: number; to: number; total: number } | null = null;
  private generated = 0;
  private engine: WindowEngine | null = null;
  private generator: DownloadEventGenerator | null = null;
  private state: HistoryStatus['state'] = 'idle';
  private message: string | null = null;

  constructor(options: HistoryJobOptions) {
    this.options = options;
  }

  /** Fixes the range: it ends where the tables' data begins (or now, for empty tables). */
  async prepare(): Promise<HistoryStatus> {
    const earliest = await this.options.store.earliestWindowStart();
    const size = this.options.config.windowSizeMs;
    const candidates = [
      windowStartOf(this.options.now(), size),
      earliest ?? undefined,
      this.options.earliestLiveWindow(),
    ];
    const to = Math.min(...candidates.filter((t): t is number => typeof t === 'number'));
    const from = to - this.options.hours * 3_600_000;
    const total = Math.floor(((to - from) / 1000) * this.options.ratePerSecond);
    this.range = { from, to, total };
    this.engine = new WindowEngine(this.options.config, this.options.partitions, [], 0, {
      floor: from,
    });
    this.generator = new DownloadEventGenerator({ seed: this.options.seed });
    this.state = 'running';
    return this.status();
  }

  get done(): boolean {
    return this.state !== 'running';
  }

  /** Generates and processes the next chunk, and writes what it finalized. */
  async step(): Promise<void> {
    if (!this.range || !this.engine || !this.generator || this.done) return;
    try {
      const { from, total } = this.range;
      const intervalMs = 1000 / this.options.ratePerSecond;
      const count = Math.min(CHUNK, total - this.generated);
      const events = this.generator.take(count, from + this.generated * intervalMs, intervalMs);
      const byPartition = new Map<number, DecodedRecord[]>();
      events.forEach((event, i) => {
        const partition = this.options.partitionOf(event.region);
        const list = byPartition.get(partition) ?? [];
        list.push({ offset: this.generated + i, event });
        byPartition.set(partition, list);
      });
      for (const [partition, records] of byPartition) this.engine.process(partition, records, 0, 0);
      this.generated += count;
      const output = this.generated >= total ? this.engine.flush() : this.engine.advance(0);
      await this.write(output);
      if (this.generated >= total) this.state = 'done';
    } catch (err) {
      this.state = 'failed';
      this.message = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }

  status(): HistoryStatus {
    const range = this.range;
    return {
      state: this.state,
      from: range ? new Date(range.from).toISOString() : null,
      to: range ? new Date(range.to).toISOString() : null,
      generated: this.generated,
      total: range?.total ?? 0,
      progress: range && range.total > 0 ? this.generated / range.total : 0,
      message: this.message,
    };
  }

  private async write(output: EngineOutput): Promise<void> {
    // Windows are [from, to): the last one may reach past `to` only if `to` is not a window
    // boundary, which prepare() rules out; rows before `from` cannot exist (the floor).
    const rows: WindowRows = emptyRows();
    rows.content.push(...output.rows.content);
    rows.region.push(...output.rows.region);
    rows.device.push(...output.rows.device);
    await this.options.store.commit({
      rows,
      alerts: output.alerts,
      lateEvents: [],
      deadLetters: [],
      snapshots: [],
    });
  }
}

export { idleHistory } from '../protocol/statuses';
