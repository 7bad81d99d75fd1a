/** What the API says of drills: the list, one drill with its scorecard, the ready scenarios. */

export type DrillModeView = 'virtual' | 'live';
export type DrillStatusView = 'running' | 'finished' | 'stopped' | 'failed';
/** As in the scorecard, plus `upcoming` and `pending` while a live drill runs. */
export type IncidentResultView =
  'detected' | 'missed' | 'passed' | 'alerted' | 'unwatched' | 'upcoming' | 'pending';

export interface DrillSummaryView {
  readonly id: number;
  readonly name: string;
  readonly mode: DrillModeView;
  readonly seed: string;
  readonly status: DrillStatusView;
  readonly error: string | null;
  /** The drill's span in event time (a stopped drill ends at its stop). */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly wallStartedAt: string;
  readonly wallEndedAt: string | null;
  readonly incidents: number;
  readonly detected: number;
  readonly missed: number;
  readonly falseAlerts: number;
  readonly pass: boolean;
  readonly verdict: string;
}

export interface DrillIncidentView {
  readonly index: number;
  readonly kind: string;
  readonly label: string;
  readonly region: string | null;
  readonly device: string | null;
  readonly startsAt: string;
  readonly endsAt: string;
  /** When a live drill injected it, by the wall clock; null in virtual time. */
  readonly wallStartsAt: string | null;
  readonly expect: 'alert' | 'none';
  readonly result: IncidentResultView;
  readonly alertId: number | null;
  readonly delayMs: number | null;
  readonly wallDelayMs: number | null;
}

export interface DrillAlertView {
  readonly id: number | null;
  readonly ruleId: string;
  readonly type: string;
  readonly severity: string;
  readonly region: string;
  readonly metricValue: number;
  readonly episodeStart: string;
  readonly createdAt: string;
  readonly resolvedAt: string | null;
  /** When its row was written, by the wall clock (live drills); null otherwise. */
  readonly raisedAt: string | null;
  readonly falseAlert: boolean;
  readonly reason: string | null;
  readonly incidents: readonly number[];
}

export interface DrillView extends DrillSummaryView {
  readonly description: string;
  readonly windowSizeMs: number;
  readonly ratePerSecond: number;
  readonly rules: ReadonlyArray<{
    readonly id: string;
    readonly metric: string;
    readonly threshold: number;
    readonly consecutiveWindows: number;
    readonly minEvents: number;
  }>;
  readonly unresolved: number;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly meanDelayMs: number | null;
  readonly incidentList: readonly DrillIncidentView[];
  readonly alerts: readonly DrillAlertView[];
}

export interface ScenarioView {
  /** The file in scenarios/, which POST /api/drills takes. */
  readonly file: string;
  readonly name: string;
  readonly description: string;
  readonly durationMs: number;
  readonly ratePerSecond: number;
  readonly incidents: number;
}
