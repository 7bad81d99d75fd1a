/**
 * The time series chart's rows: final minutes in the solid series, and the open (partial) minute
 * in a second, dashed series that starts at the last final minute so the line stays joined.
 */
import type { TimeseriesPoint } from '../../../shared/api-contract';
import { formatCount, formatMinute } from '../format';

export interface ChartRow {
  readonly label: string;
  readonly bucketStart: string;
  readonly partial: boolean;
  readonly downloads: number | null;
  readonly failed: number | null;
  readonly downloadsPartial: number | null;
  readonly failedPartial: number | null;
}

export function chartRows(points: readonly TimeseriesPoint[]): ChartRow[] {
  return points.map((p, i) => {
    const next = points[i + 1];
    const joinsPartial = p.partial || (next?.partial ?? false);
    return {
      label: formatMinute(p.bucketStart),
      bucketStart: p.bucketStart,
      partial: p.partial,
      downloads: p.partial ? null : p.downloads,
      failed: p.partial ? null : p.failed,
      downloadsPartial: joinsPartial ? p.downloads : null,
      failedPartial: joinsPartial ? p.failed : null,
    };
  });
}

/** The chart in words, for screen readers. */
export function timeseriesSummary(points: readonly TimeseriesPoint[]): string {
  const final = points.filter((p) => !p.partial);
  const partial = points.find((p) => p.partial);
  if (points.length === 0) return 'No downloads in the last hour.';
  const downloads = final.reduce((sum, p) => sum + p.downloads, 0);
  const failed = final.reduce((sum, p) => sum + p.failed, 0);
  const peak = final.reduce<TimeseriesPoint | null>(
    (best, p) => (best === null || p.downloads > best.downloads ? p : best),
    null,
  );
  const parts = [
    `Downloads and failures per minute over the last hour, ${final.length} complete minutes`,
    `${formatCount(downloads)} downloads and ${formatCount(failed)} failures in all`,
  ];
  if (peak)
    parts.push(
      `peak ${formatCount(peak.downloads)} downloads at ${formatMinute(peak.bucketStart)}`,
    );
  if (partial)
    parts.push(
      `the current minute, still counting: ${formatCount(partial.downloads)} downloads, ${formatCount(partial.failed)} failures`,
    );
  return `${parts.join('; ')}.`;
}
