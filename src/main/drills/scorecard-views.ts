/** A drill, its incidents and its alerts as the API and `drill --json` show them: ISO times. */
import type { DrillAlertView, DrillIncidentView, DrillSummaryView } from '../../shared/drill-views';
import type { DrillRecord } from '../store/drill-store';
import type { AlertScore, IncidentScore } from './scorecard';

const iso = (t: number): string => new Date(t).toISOString();
const isoOrNull = (t: number | null): string | null => (t === null ? null : iso(t));

export function incidentView(i: IncidentScore): DrillIncidentView {
  return {
    index: i.index,
    kind: i.kind,
    label: i.label,
    region: i.region,
    device: i.device,
    startsAt: iso(i.startsAt),
    endsAt: iso(i.endsAt),
    wallStartsAt: isoOrNull(i.wallStartsAt),
    expect: i.expect,
    result: i.result,
    alertId: i.alertId,
    delayMs: i.delayMs,
    wallDelayMs: i.wallDelayMs,
  };
}

export function alertView(a: AlertScore): DrillAlertView {
  return {
    id: a.id,
    ruleId: a.ruleId,
    type: a.type,
    severity: a.severity,
    region: a.region,
    metricValue: a.metricValue,
    episodeStart: iso(a.episodeStart),
    createdAt: iso(a.createdAt),
    resolvedAt: isoOrNull(a.resolvedAt),
    raisedAt: isoOrNull(a.raisedAt),
    falseAlert: a.falseAlert,
    reason: a.reason,
    incidents: a.incidents,
  };
}

/** The drill itself, without its scorecard. */
export function drillRecordView(
  d: DrillRecord,
): Pick<
  DrillSummaryView,
  | 'id'
  | 'name'
  | 'mode'
  | 'seed'
  | 'status'
  | 'error'
  | 'startsAt'
  | 'endsAt'
  | 'wallStartedAt'
  | 'wallEndedAt'
> {
  return {
    id: d.id,
    name: d.name,
    mode: d.mode,
    seed: d.seed,
    status: d.status,
    error: d.error,
    startsAt: iso(d.startsAt),
    endsAt: iso(d.endsAt),
    wallStartedAt: iso(d.wallStartedAt),
    wallEndedAt: isoOrNull(d.wallEndedAt),
  };
}
