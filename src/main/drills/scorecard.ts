/**
 * The drill's scorecard: the incidents we injected (the ground truth) against the alerts the rules
 * raised. Per incident, detected or missed and how long it took; alerts with no incident behind
 * them; alerts still open at the end; precision, recall and a verdict. Pure: records in, a
 * scorecard out, all times in ms since the epoch.
 *
 * Matching. An alert belongs to an incident when its rule watches what the incident breaks
 * (error rate for outages and device failures, slow downloads for slow networks), it is about the
 * incident's region (any region for a device, whose users are everywhere), it was raised after
 * the incident began, and its episode began before the incident ended. An alert raised before
 * the incident was about something else; an episode that began after it ended is not its doing.
 */
import type { AlertMetric } from '../engine/alert-rules';
import type { Expectation, IncidentKind } from './scenario';

export interface ScoredIncident {
  readonly index: number;
  readonly kind: IncidentKind;
  readonly label: string;
  readonly region: string | null;
  readonly device: string | null;
  readonly startsAt: number;
  readonly endsAt: number;
  /** When it was injected by the wall clock (live drills); null in virtual time. */
  readonly wallStartsAt: number | null;
  readonly expect: Expectation;
}

export interface ScoredAlert {
  readonly id: number | null;
  readonly ruleId: string;
  readonly type: string;
  readonly severity: string;
  readonly region: string;
  readonly metricValue: number;
  readonly episodeStart: number;
  /** Event time at which the streak was complete (the end of its last window). */
  readonly createdAt: number;
  readonly resolvedAt: number | null;
  /** When the row was written, by the wall clock; null where unknown (a what-if rule set). */
  readonly raisedAt: number | null;
}

export interface RuleView {
  readonly id: string;
  readonly metric: AlertMetric;
}

export type IncidentResult = 'detected' | 'missed' | 'passed' | 'alerted' | 'unwatched';

export interface IncidentScore extends ScoredIncident {
  /**
   * detected / missed: an alert was expected; passed / alerted: none was (a blip, late events,
   * poison); unwatched: an alert was expected but no rule watches what it breaks.
   */
  readonly result: IncidentResult;
  /** The first alert that caught it (or, for passed/alerted, that should not have fired). */
  readonly alertId: number | null;
  /** From the incident's start to its first alert, in event time and by the wall clock. */
  readonly delayMs: number | null;
  readonly wallDelayMs: number | null;
}

export interface AlertScore extends ScoredAlert {
  /** Indexes of the incidents it caught; empty: a false alert. */
  readonly incidents: readonly number[];
  readonly falseAlert: boolean;
  /** Why it is false: no incident, or only incidents the rules should let pass. */
  readonly reason: string | null;
}

export interface Scorecard {
  readonly incidents: readonly IncidentScore[];
  readonly alerts: readonly AlertScore[];
  readonly detected: number;
  readonly missed: number;
  readonly falseAlerts: number;
  readonly unresolved: number;
  /** True alerts / all alerts; null without alerts. */
  readonly precision: number | null;
  /** Detected / incidents that expected an alert (and were watched); null without any. */
  readonly recall: number | null;
  readonly meanDelayMs: number | null;
  readonly pass: boolean;
  readonly verdict: string;
}

/** Which metric would show each kind of incident; null: none should (it must not alert). */
const WATCHED_BY: Record<IncidentKind, AlertMetric | null> = {
  regionOutage: 'errorRate',
  deviceFailure: 'errorRate',
  slowNetwork: 'slowRate',
  lateBurst: null,
  poisonRecords: null,
};

export function scoreDrill(input: {
  readonly incidents: readonly ScoredIncident[];
  readonly alerts: readonly ScoredAlert[];
  readonly rules: readonly RuleView[];
  readonly windowSizeMs: number;
}): Scorecard {
  const metricOf = new Map(input.rules.map((r) => [r.id, r.metric]));
  const watched = new Set(input.rules.map((r) => r.metric));
  const alerts = [...input.alerts].sort(
    (a, b) => a.createdAt - b.createdAt || a.region.localeCompare(b.region),
  );
  const caughtBy = new Map<number, ScoredAlert[]>();
  const alertScores = alerts.map((alert): AlertScore => {
    const metric = metricOf.get(alert.ruleId);
    const related = input.incidents.filter((incident) =>
      explains(incident, alert, metric, input.windowSizeMs),
    );
    const expected = related.filter((i) => i.expect === 'alert');
    for (const incident of related) {
      const list = caughtBy.get(incident.index) ?? [];
      list.push(alert);
      caughtBy.set(incident.index, list);
    }
    if (expected.length > 0)
      return { ...alert, incidents: expected.map((i) => i.index), falseAlert: false, reason: null };
    return {
      ...alert,
      incidents: [],
      falseAlert: true,
      reason:
        related.length > 0
          ? `fired on ${related.map((i) => i.label).join(', ')}, which the rules should let pass`
          : 'no incident behind it',
    };
  });

  const incidentScores = input.incidents.map((incident): IncidentScore => {
    const first = caughtBy.get(incident.index)?.[0] ?? null;
    const watchedMetric = WATCHED_BY[incident.kind];
    let result: IncidentResult;
    if (incident.expect === 'none') result = first ? 'alerted' : 'passed';
    else if (watchedMetric === null || !watched.has(watchedMetric)) result = 'unwatched';
    else result = first ? 'detected' : 'missed';
    const counted = result === 'detected' || result === 'alerted';
    return {
      ...incident,
      result,
      alertId: counted ? first!.id : null,
      delayMs: counted ? first!.createdAt - incident.startsAt : null,
      wallDelayMs:
        counted && first!.raisedAt !== null && incident.wallStartsAt !== null
          ? first!.raisedAt - incident.wallStartsAt
          : null,
    };
  });

  const detected = incidentScores.filter((i) => i.result === 'detected');
  const missed = incidentScores.filter((i) => i.result === 'missed').length;
  const falseAlerts = alertScores.filter((a) => a.falseAlert).length;
  const unresolved = alertScores.filter((a) => a.resolvedAt === null).length;
  const expectedCount = detected.length + missed;
  const delays = detected.map((i) => i.delayMs!);
  const meanDelayMs = delays.length > 0 ? delays.reduce((a, b) => a + b, 0) / delays.length : null;
  const pass = missed === 0 && falseAlerts === 0;
  return {
    incidents: incidentScores,
    alerts: alertScores,
    detected: detected.length,
    missed,
    falseAlerts,
    unresolved,
    precision: alerts.length > 0 ? (alerts.length - falseAlerts) / alerts.length : null,
    recall: expectedCount > 0 ? detected.length / expectedCount : null,
    meanDelayMs,
    pass,
    verdict: verdictOf({
      pass,
      detected: detected.length,
      expectedCount,
      missed,
      falseAlerts,
      unresolved,
      meanDelayMs,
    }),
  };
}

function explains(
  incident: ScoredIncident,
  alert: ScoredAlert,
  metric: AlertMetric | undefined,
  windowSizeMs: number,
): boolean {
  const watchedMetric = WATCHED_BY[incident.kind];
  // Late bursts and poison records break no metric: an alert during one is judged as a blip's.
  if (watchedMetric !== null && metric !== watchedMetric) return false;
  if (watchedMetric === null && metric === undefined) return false;
  if (incident.region !== null && incident.region !== alert.region) return false;
  // A poison record is an instant: its "incident" is the window it lands in.
  const windowEnd =
    incident.startsAt -
    (((incident.startsAt % windowSizeMs) + windowSizeMs) % windowSizeMs) +
    windowSizeMs;
  const end = Math.max(incident.endsAt, windowEnd);
  // Raised after the incident began, by a streak that began before it ended. The streak may
  // have begun a window or two earlier (noise that the incident carried over the threshold).
  return alert.createdAt > incident.startsAt && alert.episodeStart < end;
}

function verdictOf(s: {
  pass: boolean;
  detected: number;
  expectedCount: number;
  missed: number;
  falseAlerts: number;
  unresolved: number;
  meanDelayMs: number | null;
}): string {
  const parts: string[] = [];
  if (s.expectedCount === 0) parts.push('no incident expected an alert');
  else if (s.missed === 0)
    parts.push(
      `all ${s.expectedCount} expected incident${s.expectedCount === 1 ? '' : 's'} detected` +
        (s.meanDelayMs !== null ? ` (mean delay ${formatDelay(s.meanDelayMs)})` : ''),
    );
  else parts.push(`${s.missed} of ${s.expectedCount} expected incidents missed`);
  parts.push(
    s.falseAlerts === 0
      ? 'no false alerts'
      : `${s.falseAlerts} false alert${s.falseAlerts === 1 ? '' : 's'}`,
  );
  if (s.unresolved > 0)
    parts.push(`${s.unresolved} alert${s.unresolved === 1 ? '' : 's'} still open at the end`);
  return `${s.pass ? 'PASS' : 'FAIL'}: ${parts.join('; ')}`;
}

/** 185000 → "3m 5s", 180000 → "3m", 5400000 → "1h 30m"; whole seconds. */
export function formatDelay(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const total = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [h > 0 ? `${h}h` : '', m > 0 ? `${m}m` : '', s > 0 ? `${s}s` : ''].filter(Boolean);
  return `${sign}${parts.join(' ') || '0s'}`;
}
