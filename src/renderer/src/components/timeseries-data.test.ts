import { describe, expect, it } from 'vitest';
import { chartRows, timeseriesSummary } from './timeseries-data';

const points = [
  { bucketStart: '2026-01-01T10:00:00.000Z', downloads: 100, failed: 5, slow: 1, partial: false },
  { bucketStart: '2026-01-01T10:01:00.000Z', downloads: 120, failed: 9, slow: 0, partial: false },
  { bucketStart: '2026-01-01T10:02:00.000Z', downloads: 30, failed: 2, slow: 0, partial: true },
];

describe('the time series rows', () => {
  it('puts final minutes in the solid series and joins the partial one with a dashed one', () => {
    const rows = chartRows(points);
    expect(rows.map((r) => [r.downloads, r.downloadsPartial])).toEqual([
      [100, null],
      [120, 120],
      [null, 30],
    ]);
    expect(rows.map((r) => [r.failed, r.failedPartial])).toEqual([
      [5, null],
      [9, 9],
      [null, 2],
    ]);
    expect(rows[2]!.partial).toBe(true);
  });

  it('summarises the numbers in words', () => {
    const summary = timeseriesSummary(points);
    expect(summary).toContain('2 complete minutes');
    expect(summary).toContain('220 downloads and 14 failures');
    expect(summary).toContain('peak 120 downloads');
    expect(summary).toContain('still counting: 30 downloads, 2 failures');
    expect(timeseriesSummary([])).toBe('No downloads in the last hour.');
  });
});
