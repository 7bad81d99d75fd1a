/** `drills:*`: the drills recorded in the database, their scorecards, and live drills. */
import type { ApiHandlers } from '../../../shared/api-contract';
import type {
  DrillIncidentView,
  DrillSummaryView,
  DrillView,
  IncidentResultView,
} from '../../../shared/drill-views';
import { drillReport, type DrillReport } from '../../drills/drill-report';
import { alertView, drillRecordView, incidentView } from '../../drills/scorecard-views';
import { DrillStore } from '../../store/drill-store';
import { NotFoundError } from '../../../shared/errors';
import type { HandlerContext } from './handler-context';

type DrillHandlers = Pick<
  ApiHandlers,
  'drills:list' | 'drills:get' | 'drills:scenarios' | 'drills:start' | 'drills:stop'
>;

export function drillHandlers(ctx: HandlerContext): DrillHandlers {
  const view = async (id: number): Promise<DrillView> => {
    const report = await drillReport(new DrillStore(ctx.pool), id);
    if (!report) throw new NotFoundError(`there is no drill ${id}`);
    return toDrillView(report, ctx.now());
  };
  return {
    'drills:list': async ({ limit }) => {
      const store = new DrillStore(ctx.pool);
      const drills = await store.list(limit);
      const reports = await Promise.all(drills.map((d) => drillReport(store, d)));
      return reports
        .filter((r): r is DrillReport => r !== null)
        .map((r) => summaryOf(toDrillView(r, ctx.now())));
    },
    'drills:get': ({ id }) => view(id),
    'drills:scenarios': () => Promise.resolve(ctx.drills.scenarios()),
    'drills:start': async ({ scenario }) => view(await ctx.drills.start(scenario)),
    'drills:stop': async ({ id }) => {
      await ctx.drills.stop(id);
      return view(id);
    },
  };
}

/** A list entry: the view without the scorecard's details. */
function summaryOf(view: DrillView): DrillSummaryView {
  const { id, name, mode, seed, status, error, startsAt, endsAt, wallStartedAt, wallEndedAt } =
    view;
  return {
    id,
    name,
    mode,
    seed,
    status,
    error,
    startsAt,
    endsAt,
    wallStartedAt,
    wallEndedAt,
    incidents: view.incidents,
    detected: view.detected,
    missed: view.missed,
    falseAlerts: view.falseAlerts,
    pass: view.pass,
    verdict: view.verdict,
  };
}

/**
 * The report as the API shows it. While a live drill runs, an incident yet to come is `upcoming`,
 * and one not caught yet while its alert may still come (its end, plus the windows the rules
 * need, plus a window for the watermark) is `pending`, not missed.
 */
export function toDrillView(report: DrillReport, now: number): DrillView {
  const { drill } = report;
  const { scorecard } = report.ruleSets[0]!;
  const running = drill.status === 'running';
  const patience =
    (Math.max(1, ...drill.rules.map((r) => r.consecutiveWindows)) + 1) * drill.windowSizeMs;
  const incidentList = scorecard.incidents.map((i): DrillIncidentView => {
    let result: IncidentResultView = i.result;
    if (running && i.startsAt > now) result = 'upcoming';
    else if (running && i.result === 'missed' && now < i.endsAt + patience) result = 'pending';
    return { ...incidentView(i), result };
  });
  const waiting = incidentList.filter((i) => i.result === 'upcoming' || i.result === 'pending');
  const missed = incidentList.filter((i) => i.result === 'missed').length;
  return {
    ...drillRecordView(drill),
    incidents: incidentList.length,
    detected: scorecard.detected,
    missed,
    falseAlerts: scorecard.falseAlerts,
    pass: missed === 0 && scorecard.falseAlerts === 0,
    verdict:
      running && waiting.length > 0
        ? `RUNNING: ${scorecard.detected} detected so far, ${waiting.length} incident${waiting.length === 1 ? '' : 's'} still to come or to be caught, ${scorecard.falseAlerts} false alert${scorecard.falseAlerts === 1 ? '' : 's'}`
        : scorecard.verdict,
    description: drill.scenario.description,
    windowSizeMs: drill.windowSizeMs,
    ratePerSecond: drill.scenario.ratePerSecond,
    rules: drill.rules.map(({ id, metric, threshold, consecutiveWindows, minEvents }) => ({
      id,
      metric,
      threshold,
      consecutiveWindows,
      minEvents,
    })),
    unresolved: scorecard.unresolved,
    precision: scorecard.precision,
    recall: scorecard.recall,
    meanDelayMs: scorecard.meanDelayMs,
    incidentList,
    alerts: scorecard.alerts.map(alertView),
  };
}
