/**
 * Event-time tumbling windows: [start, start + size), aligned to the epoch. Pure: a window is a
 * function of the event time alone (and of the window sizes in force, when the size changed).
 */
export function windowStartOf(eventTime: number, sizeMs: number): number {
  return Math.floor(eventTime / sizeMs) * sizeMs;
}

/** From `from` (event time) on, windows are `sizeMs` long; null: since the beginning. */
export interface WindowSize {
  readonly from: number | null;
  readonly sizeMs: number;
}

/**
 * The window sizes over event time. One size, normally; after the size was changed while windows
 * were open, the old size up to a cut-over time and the new one after it. The cut-over is the end
 * of the newest old window, rounded up to a multiple of the new size, so no window straddles it:
 * every window is [start, end) of one size (the old size's last window may end early, at the
 * cut-over), and windows of the two sizes never overlap in the tables.
 */
export class WindowSchedule {
  /** Sorted by `from`; the first has from = -Infinity. */
  private readonly sizes: ReadonlyArray<{ readonly from: number; readonly sizeMs: number }>;

  private constructor(sizes: ReadonlyArray<{ readonly from: number; readonly sizeMs: number }>) {
    this.sizes = sizes;
  }

  static fixed(sizeMs: number): WindowSchedule {
    return new WindowSchedule([{ from: -Infinity, sizeMs }]);
  }

  static fromJSON(sizes: readonly WindowSize[]): WindowSchedule {
    if (sizes.length === 0) throw new Error('a window schedule needs at least one size');
    return new WindowSchedule(
      sizes.map((s, i) => ({
        from: i === 0 ? -Infinity : (s.from ?? -Infinity),
        sizeMs: s.sizeMs,
      })),
    );
  }

  toJSON(): WindowSize[] {
    return this.sizes.map((s) => ({
      from: Number.isFinite(s.from) ? s.from : null,
      sizeMs: s.sizeMs,
    }));
  }

  /** The size of new windows. */
  get currentSizeMs(): number {
    return this.sizes[this.sizes.length - 1]!.sizeMs;
  }

  /** Start of the window holding `time`. */
  startOf(time: number): number {
    const sizes = this.sizes;
    if (sizes.length === 1) return Math.floor(time / sizes[0]!.sizeMs) * sizes[0]!.sizeMs;
    let i = sizes.length - 1;
    while (time < sizes[i]!.from) i--;
    const { from, sizeMs } = sizes[i]!;
    return Math.max(from, Math.floor(time / sizeMs) * sizeMs);
  }

  /** End of the window that starts at `start` (a start given by startOf). */
  endOf(start: number): number {
    const sizes = this.sizes;
    if (sizes.length === 1) return start + sizes[0]!.sizeMs;
    let i = sizes.length - 1;
    while (start < sizes[i]!.from) i--;
    const end = start + sizes[i]!.sizeMs;
    return i + 1 < sizes.length ? Math.min(end, sizes[i + 1]!.from) : end;
  }

  /**
   * This schedule with windows of `sizeMs` from the first multiple of it at or after `after` on
   * (after: the end of the newest window of the current size, or -Infinity if there is none).
   */
  withSize(sizeMs: number, after: number): WindowSchedule {
    if (sizeMs === this.currentSizeMs) return this;
    if (!Number.isFinite(after)) return WindowSchedule.fixed(sizeMs);
    const from = Math.ceil(after / sizeMs) * sizeMs;
    const kept = this.sizes.filter((s) => s.from < from);
    return new WindowSchedule([...kept, { from, sizeMs }]);
  }
}
