/**
 * The windowing and alert engine, pure: records and time come in, window rows, alert changes and
 * late events come out. The I/O loop around it (reading the log, writing Postgres) is elsewhere.
 *
 * - Each event goes to the tumbling window of its event time, per source partition.
 * - A partition's watermark is its newest event time minus the out-of-orderness bound; the overall
 *   watermark is the minimum over partitions that are not idle, and never goes back.
 * - A window is final when the watermark passes its end: its rows are emitted and its region rows
 *   feed the alert rules, in window order.
 * - A late event for a final window within the allowed lateness updates it (the rows are emitted
 *   again: a late firing); later than that it is counted and emitted as a late event, not dropped.
 */
import type { DecodedRecord } from '../events/decode-records';
import { formatEventId } from '../events/download-event';
import { evaluateWindow, newTracker, type AlertContext, type AlertRecord } from './alert-tracker';
import type { AlertRule } from './alert-rules';
import type { EngineConfig } from './engine-config';
import { PartitionState, type LateEventRecord, type PartitionSnapshot } from './partition-state';
import { WindowAggregates } from './window-aggregates';
import { appendRows, emptyRows, type WindowRows } from './window-rows';
import { WindowSchedule } from './windows';

export interface EngineOutput {
  /** Rows of windows that became final, or changed after (late firings). */
  readonly rows: WindowRows;
  readonly alerts: AlertRecord[];
  readonly lateEvents: LateEventRecord[];
  /** Windows that became final in this step (per partition). */
  readonly windowsClosed: number;
  readonly watermark: number;
}

export interface EngineStats {
  readonly watermark: number;
  readonly openWindows: number;
  readonly lateEvents: number;
  /** Events kept aside as too far in the future. */
  readonly futureEvents: number;
  readonly partitions: ReadonlyArray<{
    partition: number;
    nextOffset: number;
    maxEventTime: number | null;
    idle: boolean;
  }>;
}

export class WindowEngine {
  readonly config: EngineConfig;
  private readonly partitions = new Map<number, PartitionState>();
  /** The live watermark: it moves as records arrive, so lateness is judged per record. */
  private overallWatermark = -Infinity;
  /** The watermark up to which windows were emitted (at the last advance). */
  private emittedWatermark = -Infinity;

  /**
   * The window sizes over event time: the configured size, and the previous one up to a cut-over
   * if the size was changed while its windows were open.
   */
  private windowSchedule: WindowSchedule;

  /** Events before this time are ignored (a replay recomputes windows from here on). */
  private readonly floor: number;
  /**
   * The real time, for the future bound only: processing time (`now`) is virtual in bounded runs,
   * but an event ahead of the real clock is ahead whatever the run's pace.
   */
  private readonly wallClock: () => number;

  constructor(
    config: EngineConfig,
    partitions: readonly number[],
    restored: readonly PartitionSnapshot[] = [],
    now = 0,
    options: {
      readonly floor?: number;
      readonly wallClock?: () => number;
      /** The window sizes over time when there is no checkpoint (a replay: the running engine's). */
      readonly schedule?: WindowSchedule;
    } = {},
  ) {
    this.config = config;
    this.floor = options.floor ?? -Infinity;
    this.wallClock = options.wallClock ?? Date.now;
    const byPartition = new Map(restored.map((s) => [s.partition, s]));
    // The sizes the checkpoint's windows were cut with (before sizes were recorded: this size).
    const saved = restored.find((s) => s.windowSizes !== undefined)?.windowSizes;
    const previous = saved
      ? WindowSchedule.fromJSON(saved)
      : (options.schedule ?? WindowSchedule.fixed(config.windowSizeMs));
    const endOf = (start: number): number => previous.endOf(start);
    let newestEnd = -Infinity;
    for (const partition of partitions) {
      const snapshot = byPartition.get(partition);
      const state = snapshot
        ? PartitionState.restore(snapshot, now, endOf)
        : new PartitionState(partition);
      for (const window of state.windows.values()) newestEnd = Math.max(newestEnd, window.end);
      // A partition that has not spoken yet holds the watermark until the idle timeout from now.
      state.lastActivityAt = now;
      this.partitions.set(partition, state);
    }
    // All snapshots of one checkpoint carry the same watermark; the lowest is the safe one.
    const watermarks = restored.map((s) => s.watermark).filter((w): w is number => w !== null);
    if (watermarks.length > 0)
      this.overallWatermark = this.emittedWatermark = Math.min(...watermarks);
    // A new size applies after the newest window of the old one (and after anything an event
    // could still update: the watermark less the lateness), so the open windows finish at the
    // size they began with and no window of one size overlaps one of the other.
    this.windowSchedule = previous.withSize(
      config.windowSizeMs,
      Math.max(newestEnd, this.overallWatermark - config.allowedLatenessMs),
    );
  }

  /** The window sizes in force (more than one just after the size setting changed). */
  get schedule(): WindowSchedule {
    return this.windowSchedule;
  }

  get watermark(): number {
    return this.overallWatermark;
  }

  /** The next offset to read per partition (where a restart resumes). */
  nextOffset(partition: number): number {
    return this.state(partition).nextOffset;
  }

  /**
   * Adds a partition's decoded records. `nextOffset` is the offset after the last record consumed
   * (records that did not decode count as consumed: they went to dead letters).
   */
  process(
    partition: number,
    records: readonly DecodedRecord[],
    nextOffset: number,
    now: number,
  ): void {
    const state = this.state(partition);
    const schedule = this.windowSchedule;
    const lateness = this.config.allowedLatenessMs;
    const outOfOrderness = this.config.outOfOrdernessMs;
    // Rows already emitted up to here: a change to them is a late firing (emitted again).
    const emitted = this.emittedWatermark;
    const floor = this.floor;
    let ownWatermark = state.maxEventTime - outOfOrderness;
    let cachedStart = NaN;
    let cached: WindowAggregates | undefined;
    // Beyond this an event is from a clock gone wrong (30 days ahead, say): taken into the
    // watermark it would make every later event late, and the checkpoint would keep it for good.
    const futureLimit =
      Math.max(this.wallClock(), state.maxEventTime - outOfOrderness) + this.config.maxFutureMs;
    for (const { offset, event } of records) {
      const time = event.eventTime;
      if (time < floor) continue;
      if (time > futureLimit) {
        state.futureEvents++;
        state.pendingLate.push({
          partition,
          offset,
          eventId: formatEventId(event.eventId),
          eventTime: time,
          windowStart: schedule.startOf(time),
          region: event.region,
          status: event.status,
          watermark: ownWatermark,
          reason: 'future',
        });
        continue;
      }
      if (time > state.maxEventTime) {
        state.maxEventTime = time;
        ownWatermark = time - outOfOrderness;
        if (ownWatermark >= state.alertCheckAt) this.judgeWindows(state, ownWatermark);
      }
      const start = schedule.startOf(time);
      if (start === cachedStart) {
        cached!.add(event);
        continue;
      }
      const end = schedule.endOf(start);
      // Lateness is judged by this partition's own watermark: it depends only on the order of
      // this partition's records, so a replay or a recovery judges every event the same way.
      if (end + lateness <= ownWatermark) {
        state.lateEvents++;
        state.pendingLate.push({
          partition,
          offset,
          eventId: formatEventId(event.eventId),
          eventTime: time,
          windowStart: start,
          region: event.region,
          status: event.status,
          watermark: ownWatermark,
        });
        continue;
      }
      const window = this.windowOf(state, start, end);
      window.add(event);
      if (end <= emitted) state.dirty.add(start);
      else {
        cachedStart = start;
        cached = window;
      }
    }
    state.nextOffset = nextOffset;
    if (records.length > 0) state.lastActivityAt = now;
  }

  /**
   * Alert rules judge a partition's window once, when the partition's own watermark passes its
   * end: the rows then depend only on the partition's records, not on how partitions interleave.
   */
  private judgeWindows(state: PartitionState, ownWatermark: number): void {
    const windows = [...state.windows.values()]
      .filter((w) => w.start > state.judgedThrough && w.end <= ownWatermark)
      .sort((a, b) => a.start - b.start);
    for (const window of windows) {
      const rows = emptyRows();
      appendRows(rows, window, state.partition);
      for (const row of rows.region) this.evaluateAlerts(state, row, state.pendingAlerts);
      state.judgedThrough = window.start;
    }
    const schedule = this.windowSchedule;
    state.alertCheckAt = Number.isFinite(ownWatermark)
      ? schedule.endOf(schedule.startOf(ownWatermark))
      : ownWatermark;
  }

  /**
   * Before a replay from the floor: gives the alert rules what they knew there (the alerts open at
   * it, the rows of the windows just before it), so the windows after it are judged as the first
   * time, not by rules that start from nothing (which opened a second alert for an episode that
   * spans the floor, and missed a streak begun before it). What the rules say about the windows
   * before the floor is not emitted: those were judged and written already.
   */
  primeAlerts(context: AlertContext): void {
    const openFrom = new Map<string, number>();
    for (const { partition, alert } of context.openAlerts) {
      const state = this.partitions.get(partition);
      if (!state) continue;
      const tracker = newTracker(alert.ruleId, alert.region);
      tracker.open = alert;
      state.trackers.set(`${alert.ruleId}|${alert.region}`, tracker);
      openFrom.set(`${partition}|${alert.ruleId}|${alert.region}`, alert.episodeStart);
    }
    const ignored: AlertRecord[] = [];
    for (const row of context.regionRows) {
      const state = this.partitions.get(row.partition);
      if (!state || row.windowEnd > this.floor) continue;
      // An open episode's tracker starts at its first window (the windows before it were healthy
      // for that rule); the other rules' trackers see every row.
      this.evaluateAlerts(state, row, ignored, (rule) => {
        const from = openFrom.get(`${row.partition}|${rule.id}|${row.region}`);
        return from === undefined || row.windowStart >= from;
      });
    }
  }

  /** Moves the watermark as far as the partitions allow and emits what became final. */
  advance(now: number): EngineOutput {
    // All idle (no bound): hold. Otherwise the watermark only moves forward.
    const bound = this.watermarkBound(now);
    const next =
      bound === Infinity ? this.overallWatermark : Math.max(this.overallWatermark, bound);
    return this.emit(next, next);
  }

  /** The minimum partition watermark over active partitions (other than `except`); Infinity if none. */
  private watermarkBound(now: number, except?: PartitionState): number {
    let bound = Infinity;
    for (const state of this.partitions.values()) {
      if (state === except || this.isIdle(state, now)) continue;
      bound = Math.min(bound, state.maxEventTime - this.config.outOfOrdernessMs);
    }
    return bound;
  }

  /**
   * End of input: every window's rows are emitted. The watermark then rests at the newest event
   * time, not at infinity, and windows within the lateness stay in memory, so events appended later
   * (another run on the same data) still update complete windows instead of overwriting their rows.
   */
  flush(): EngineOutput {
    for (const state of this.partitions.values()) this.judgeWindows(state, Infinity);
    let newest = this.overallWatermark;
    for (const state of this.partitions.values()) newest = Math.max(newest, state.maxEventTime);
    const output = this.emit(Infinity, newest);
    this.overallWatermark = this.emittedWatermark = newest;
    return output;
  }

  snapshot(): PartitionSnapshot[] {
    // Every size change is kept (one entry each, made by a person): a replay of any time cuts
    // the windows as they were cut then.
    const sizes = this.windowSchedule.toJSON();
    return [...this.partitions.values()].map((state) =>
      state.snapshot(this.overallWatermark, sizes),
    );
  }

  /** The open (not yet final) windows' rows: the live, partial view. */
  partialRows(): WindowRows {
    const rows = emptyRows();
    for (const state of this.partitions.values()) {
      for (const window of state.windows.values()) {
        if (window.end > this.overallWatermark) appendRows(rows, window, state.partition);
      }
    }
    return rows;
  }

  stats(now: number): EngineStats {
    let openWindows = 0;
    let lateEvents = 0;
    let futureEvents = 0;
    for (const state of this.partitions.values()) {
      lateEvents += state.lateEvents;
      futureEvents += state.futureEvents;
      for (const window of state.windows.values())
        if (window.end > this.overallWatermark) openWindows++;
    }
    return {
      watermark: this.overallWatermark,
      openWindows,
      lateEvents,
      futureEvents,
      partitions: [...this.partitions.values()].map((s) => ({
        partition: s.partition,
        nextOffset: s.nextOffset,
        maxEventTime: Number.isFinite(s.maxEventTime) ? s.maxEventTime : null,
        idle: this.isIdle(s, now),
      })),
    };
  }

  /** Emits windows final at `watermark`; evicts those past the lateness at `evictAt`. */
  private emit(watermark: number, evictAt: number): EngineOutput {
    const previous = this.emittedWatermark;
    this.overallWatermark = Math.max(this.overallWatermark, watermark);
    this.emittedWatermark = watermark;
    const lateness = this.config.allowedLatenessMs;
    const rows = emptyRows();
    const alerts: AlertRecord[] = [];
    const lateEvents: LateEventRecord[] = [];
    let windowsClosed = 0;
    for (const state of this.partitions.values()) {
      const starts = [...state.windows.keys()].sort((a, b) => a - b);
      for (const start of starts) {
        const window = state.windows.get(start)!;
        const end = window.end;
        if (end > watermark) break;
        const newlyFinal = end > previous;
        if (newlyFinal || state.dirty.has(start)) {
          appendRows(rows, window, state.partition);
          if (newlyFinal) windowsClosed++;
          state.dirty.delete(start);
        }
        if (end + lateness <= evictAt) state.windows.delete(start);
      }
      lateEvents.push(...state.pendingLate);
      state.pendingLate = [];
      alerts.push(...state.pendingAlerts);
      state.pendingAlerts = [];
    }
    return { rows, alerts, lateEvents, windowsClosed, watermark };
  }

  private evaluateAlerts(
    state: PartitionState,
    row: WindowRows['region'][number],
    into: AlertRecord[],
    judges: (rule: AlertRule) => boolean = () => true,
  ): void {
    for (const rule of this.config.alertRules) {
      if (!judges(rule)) continue;
      const key = `${rule.id}|${row.region}`;
      let tracker = state.trackers.get(key);
      if (!tracker) {
        tracker = newTracker(rule.id, row.region);
        state.trackers.set(key, tracker);
      }
      const change = evaluateWindow(rule, tracker, row, this.windowSchedule.currentSizeMs);
      if (change) into.push(change);
    }
  }

  /** No events for the idle timeout (processing time; for a silent partition, since the start). */
  private isIdle(state: PartitionState, now: number): boolean {
    return now - state.lastActivityAt > this.config.idleTimeoutMs;
  }

  private windowOf(state: PartitionState, start: number, end: number): WindowAggregates {
    let window = state.windows.get(start);
    if (!window) {
      window = new WindowAggregates(start, end);
      state.windows.set(start, window);
    }
    return window;
  }

  private state(partition: number): PartitionState {
    const state = this.partitions.get(partition);
    if (!state) throw new Error(`partition ${partition} is not owned by this engine`);
    return state;
  }
}
