import { describe, expect, it } from 'vitest';
import { WindowSchedule, windowStartOf } from './windows';

const S = 1000;
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);

describe('windows', () => {
  it('assigns an event to the window of its event time, aligned to the epoch', () => {
    expect(windowStartOf(T0 + 59_999, 60 * S)).toBe(T0);
    expect(windowStartOf(T0 + 60_000, 60 * S)).toBe(T0 + 60 * S);
    expect(windowStartOf(-1, 60 * S)).toBe(-60 * S);
  });
});

describe('WindowSchedule', () => {
  it('with one size, is the epoch-aligned tumbling window', () => {
    const fixed = WindowSchedule.fixed(60 * S);
    expect(fixed.startOf(T0 + 59_999)).toBe(T0);
    expect(fixed.endOf(T0)).toBe(T0 + 60 * S);
  });

  it('after a change from 60 s to 10 s, keeps 60 s up to the newest old window end, then 10 s', () => {
    const changed = WindowSchedule.fixed(60 * S).withSize(10 * S, T0 + 60 * S);
    expect(changed.startOf(T0 + 59 * S)).toBe(T0);
    expect(changed.endOf(T0)).toBe(T0 + 60 * S);
    expect(changed.startOf(T0 + 65 * S)).toBe(T0 + 60 * S);
    expect(changed.endOf(T0 + 60 * S)).toBe(T0 + 70 * S);
  });

  it('from 40 s to 60 s, cuts over at a multiple of 60 s: the last 40 s window ends early', () => {
    // The newest 40 s window is [12:00:00, 12:00:40): 60 s windows start at 12:01:00; the 40 s
    // window between, [12:00:40, 12:01:20), ends at 12:01:00 instead.
    const changed = WindowSchedule.fixed(40 * S).withSize(60 * S, T0 + 40 * S);
    expect(changed.startOf(T0 + 50 * S)).toBe(T0 + 40 * S);
    expect(changed.endOf(T0 + 40 * S)).toBe(T0 + 60 * S);
    expect(changed.startOf(T0 + 61 * S)).toBe(T0 + 60 * S);
    expect(changed.endOf(T0 + 60 * S)).toBe(T0 + 120 * S);
  });

  it('is saved and restored', () => {
    const changed = WindowSchedule.fixed(60 * S)
      .withSize(10 * S, T0 + 60 * S)
      .withSize(30 * S, T0 + 90 * S);
    expect(changed.toJSON()).toEqual([
      { from: null, sizeMs: 60 * S },
      { from: T0 + 60 * S, sizeMs: 10 * S },
      { from: T0 + 90 * S, sizeMs: 30 * S },
    ]);
    expect(WindowSchedule.fromJSON(changed.toJSON()).endOf(T0 + 80 * S)).toBe(T0 + 90 * S);
  });

  it('with no window of the old size left, is simply the new size', () => {
    expect(
      WindowSchedule.fixed(60 * S)
        .withSize(10 * S, -Infinity)
        .toJSON(),
    ).toEqual([{ from: null, sizeMs: 10 * S }]);
  });
});
