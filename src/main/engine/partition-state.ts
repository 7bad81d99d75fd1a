/**
 * The engine's state for one source partition: its watermark inputs, its windows (open, and final
 * but still within the allowed lateness), its alert trackers and its position in the log. This is
 * what a checkpoint stores, per partition, so engines owning different partitions never share state.
 */
import type { AlertRecord, TrackerState } from './alert-tracker';
import { WindowAggregates, type SerializedWindow } from './window-aggregates';
import type { WindowSize } from './windows';

export interface LateEventRecord {
  readonly partition: number;
  readonly offset: number;
  readonly eventId: string;
  readonly eventTime: number;
  readonly windowStart: number;
  readonly region: string;
  readonly status: string;
  readonly watermark: number;
  /** Why it was kept aside: too late for its window, or too far in the future (absent: late). */
  readonly reason?: 'late' | 'future';
}

export class PartitionState {
  readonly partition: number;
  /** The next offset to read: everything before it is accounted for. */
  nextOffset = 0;
  /** Newest event time seen (-Infinity: none yet). */
  maxEventTime = -Infinity;
  /** Processing time of the last event, for idleness. */
  lastActivityAt = 0;
  readonly windows = new Map<number, WindowAggregates>();
  /** Final windows changed since their rows were last emitted. */
  readonly dirty = new Set<number>();
  readonly trackers = new Map<string, TrackerState>();
  /** Start of the last window the alert rules judged. */
  judgedThrough = -Infinity;
  /** The own watermark at which the next window is due for judging. */
  alertCheckAt = -Infinity;
  lateEvents = 0;
  /** Events kept aside as too far in the future (they never moved the watermark). */
  futureEvents = 0;
  /** Late records and alert changes not yet emitted. */
  pendingLate: LateEventRecord[] = [];
  pendingAlerts: AlertRecord[] = [];

  constructor(partition: number) {
    this.partition = partition;
  }

  snapshot(watermark: number, windowSizes: readonly WindowSize[]): PartitionSnapshot {
    return {
      version: 1,
      windowSizes: [...windowSizes],
      partition: this.partition,
      nextOffset: this.nextOffset,
      maxEventTime: Number.isFinite(this.maxEventTime) ? this.maxEventTime : null,
      watermark: Number.isFinite(watermark) ? watermark : null,
      lateEvents: this.lateEvents,
      futureEvents: this.futureEvents,
      windows: [...this.windows.values()].map((w) => w.toJSON()),
      dirty: [...this.dirty],
      trackers: [...this.trackers.values()].map((t) => ({ ...t })),
      judgedThrough: Number.isFinite(this.judgedThrough) ? this.judgedThrough : null,
    };
  }

  /** `endOf`: the end of a window saved before windows recorded theirs. */
  static restore(
    snapshot: PartitionSnapshot,
    now: number,
    endOf: (start: number) => number,
  ): PartitionState {
    if (snapshot.version !== 1)
      throw new Error(`checkpoint version ${snapshot.version} is not supported by this build`);
    const state = new PartitionState(snapshot.partition);
    state.nextOffset = snapshot.nextOffset;
    state.maxEventTime = snapshot.maxEventTime ?? -Infinity;
    state.lastActivityAt = now;
    state.lateEvents = snapshot.lateEvents;
    state.futureEvents = snapshot.futureEvents ?? 0;
    for (const window of snapshot.windows)
      state.windows.set(window.start, WindowAggregates.fromJSON(window, endOf));
    for (const start of snapshot.dirty) state.dirty.add(start);
    state.judgedThrough = snapshot.judgedThrough ?? -Infinity;
    for (const tracker of snapshot.trackers)
      state.trackers.set(`${tracker.ruleId}|${tracker.region}`, { ...tracker });
    return state;
  }
}

/** A partition's engine state as JSON, stored in the checkpoints table. */
export interface PartitionSnapshot {
  readonly version: 1;
  readonly partition: number;
  /**
   * The window sizes over event time when it was taken (the same in every partition's snapshot).
   * Absent in checkpoints from before sizes were recorded: the configured size.
   */
  readonly windowSizes?: readonly WindowSize[];
  readonly nextOffset: number;
  readonly maxEventTime: number | null;
  /** The engine's overall watermark when the snapshot was taken. */
  readonly watermark: number | null;
  readonly lateEvents: number;
  /** Absent in snapshots from before the future bound: 0. */
  readonly futureEvents?: number;
  readonly windows: readonly SerializedWindow[];
  readonly dirty: readonly number[];
  readonly trackers: readonly TrackerState[];
  /** Start of the last window the alert rules judged (null: none yet). */
  readonly judgedThrough?: number | null;
}
