/**
 * Turns a region's stream of final windows into alert episodes: N consecutive breaching windows
 * (each with enough events) open one alert; it stays one alert however long the incident lasts
 * (its peak and severity updated); the first healthy window resolves it. Pure: windows come in,
 * alert records come out, in event time.
 */
import { ALERT_METRICS, breaches, severityOf, type AlertRule, type Severity } from './alert-rules';
import type { RegionHealthRow } from './window-rows';

/** An alert as the store keeps it; (ruleId, region, episodeStart) identifies it. */
export interface AlertRecord {
  readonly ruleId: string;
  readonly type: string;
  readonly severity: Severity;
  readonly message: string;
  readonly region: string;
  /** The worst value of the metric in the episode. */
  readonly metricValue: number;
  readonly thresholdValue: number;
  /** Start of the first breaching window. */
  readonly episodeStart: number;
  /** End of the window that completed the streak (event time). */
  readonly createdAt: number;
  /** End of the first healthy window after it; null while open. */
  readonly resolvedAt: number | null;
}

/** What the rules knew just before a time (a replay's start): see loadAlertContext. */
export interface AlertContext {
  /** Region rows of the windows just before it, oldest first. */
  readonly regionRows: readonly RegionHealthRow[];
  /** The alerts open at it, with the partition whose rows they judge. */
  readonly openAlerts: ReadonlyArray<{ readonly partition: number; readonly alert: AlertRecord }>;
}

export interface TrackerState {
  readonly ruleId: string;
  readonly region: string;
  /** Consecutive breaching windows so far. */
  streak: number;
  streakStart: number;
  peak: number;
  /** The last window evaluated, to notice gaps (a window without this region's events). */
  lastWindowStart: number | null;
  /**
   * Its end: the next window is contiguous if it starts there (windows change size when the size
   * setting does). Absent in trackers saved before it was: lastWindowStart + the window size.
   */
  lastWindowEnd?: number | null;
  open: AlertRecord | null;
}

export function newTracker(ruleId: string, region: string): TrackerState {
  return {
    ruleId,
    region,
    streak: 0,
    streakStart: 0,
    peak: 0,
    lastWindowStart: null,
    lastWindowEnd: null,
    open: null,
  };
}

/**
 * Feeds one final window's row. Returns the alert to write when it opens, changes or resolves;
 * null otherwise. `state` is updated in place.
 */
export function evaluateWindow(
  rule: AlertRule,
  state: TrackerState,
  row: RegionHealthRow,
  windowSizeMs: number,
): AlertRecord | null {
  // A window is judged once: after end-of-input, a window can become final a second time.
  if (state.lastWindowStart !== null && row.windowStart <= state.lastWindowStart) return null;
  const lastEnd =
    state.lastWindowEnd ??
    (state.lastWindowStart === null ? null : state.lastWindowStart + windowSizeMs);
  const contiguous = lastEnd === row.windowStart;
  state.lastWindowStart = row.windowStart;
  state.lastWindowEnd = row.windowEnd;
  if (!contiguous) state.streak = 0;
  if (row.total < rule.minEvents) {
    // Too few events to say anything: the streak breaks, an open episode stays open.
    state.streak = 0;
    return null;
  }
  const value = ALERT_METRICS[rule.metric](row);
  const worse = (a: number, b: number): number =>
    rule.direction === 'above' ? Math.max(a, b) : Math.min(a, b);

  if (!breaches(rule, value)) {
    state.streak = 0;
    if (!state.open) return null;
    const resolved: AlertRecord = { ...state.open, resolvedAt: row.windowEnd };
    state.open = null;
    return resolved;
  }

  if (state.open) {
    const peak = worse(state.open.metricValue, value);
    const severity = severityOf(rule, peak);
    if (peak === state.open.metricValue && severity === state.open.severity) return null;
    state.open = {
      ...state.open,
      metricValue: peak,
      severity,
      message: messageFor(rule, row.region, peak, state.open.episodeStart),
    };
    return state.open;
  }

  if (state.streak === 0) {
    state.streakStart = row.windowStart;
    state.peak = value;
  } else {
    state.peak = worse(state.peak, value);
  }
  state.streak++;
  if (state.streak < rule.consecutiveWindows) return null;
  state.open = {
    ruleId: rule.id,
    type: rule.type,
    severity: severityOf(rule, state.peak),
    message: messageFor(rule, row.region, state.peak, state.streakStart),
    region: row.region,
    metricValue: state.peak,
    thresholdValue: rule.threshold,
    episodeStart: state.streakStart,
    createdAt: row.windowEnd,
    resolvedAt: null,
  };
  state.streak = 0;
  return state.open;
}

function messageFor(rule: AlertRule, region: string, peak: number, since: number): string {
  const format = (v: number): string =>
    rule.metric === 'downloads' ? String(Math.round(v)) : `${(v * 100).toFixed(1)}%`;
  const metric = {
    errorRate: 'error rate',
    slowRate: 'slow-download rate',
    downloads: 'downloads per window',
  }[rule.metric];
  return (
    `${region} ${metric} ${rule.direction} ${format(rule.threshold)} for ${rule.consecutiveWindows} consecutive windows ` +
    `since ${new Date(since).toISOString().slice(11, 16)} UTC (peak ${format(peak)})`
  );
}
