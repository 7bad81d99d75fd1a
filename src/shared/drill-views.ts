/** What the API says of drills: the types of the drills area's schemas (api/drills.ts). */
export type {
  DrillAlertView,
  DrillIncidentView,
  DrillModeView,
  DrillStatusView,
  DrillSummaryView,
  DrillView,
  IncidentResultView,
  ScenarioView,
} from './api/drills';
