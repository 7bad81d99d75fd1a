/** A drill report as text for a terminal, and as JSON for scripts and CI. */
import { describeRules } from './rule-variants';
import { formatDuration } from './scenario';
import { formatDelay, type IncidentScore, type Scorecard } from './scorecard';
import type { DrillReport } from './drill-report';
import { alertView, drillRecordView, incidentView } from './scorecard-views';

const RESULT_TEXT: Record<IncidentScore['result'], string> = {
  detected: 'detected',
  missed: 'MISSED',
  passed: 'passed (no alert)',
  alerted: 'ALERTED (should pass)',
  unwatched: 'not watched by any rule',
};

export function formatDrillReport(report: DrillReport): string {
  const { drill } = report;
  const at = (t: number): string => `+${formatDelay(t - drill.startsAt)}`;
  const lines: string[] = [
    `Drill #${drill.id} "${drill.name}" (${drill.mode}, seed ${drill.seed}): ` +
      `${new Date(drill.startsAt).toISOString()} to ${new Date(drill.endsAt).toISOString()}, ` +
      `windows of ${formatDuration(drill.windowSizeMs)}, ${drill.status}`,
  ];
  const primary = report.ruleSets[0]!;
  lines.push(`Rules: ${describeRules(primary.rules)}`, '');
  lines.push(...incidentTable(primary.scorecard, at));
  const falseAlerts = primary.scorecard.alerts.filter((a) => a.falseAlert);
  if (falseAlerts.length > 0) {
    lines.push('', 'False alerts:');
    for (const a of falseAlerts)
      lines.push(
        `  ${a.region} ${a.type} ${a.severity} from ${at(a.episodeStart)} (raised ${at(a.createdAt)}): ${a.reason}`,
      );
  }
  lines.push('', summaryLine(primary.scorecard), primary.scorecard.verdict);
  if (report.ruleSets.length > 1) {
    lines.push('', 'Rule sets side by side:', ...comparisonTable(report));
  }
  return `${lines.join('\n')}\n`;
}

function incidentTable(card: Scorecard, at: (t: number) => string): string[] {
  if (card.incidents.length === 0) return ['No incidents.'];
  const rows = card.incidents.map((i) => [
    i.label,
    `${at(i.startsAt)} to ${at(i.endsAt)}`,
    `expect ${i.expect}`,
    RESULT_TEXT[i.result],
    i.delayMs === null ? '' : `after ${formatDelay(i.delayMs)}`,
    i.wallDelayMs === null ? '' : `(${formatDelay(i.wallDelayMs)} by the wall clock)`,
  ]);
  return table(['incident', 'when', 'expected', 'result', 'delay', ''], rows);
}

function summaryLine(card: Scorecard): string {
  const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(0)}%`);
  return (
    `Detected ${card.detected}, missed ${card.missed}, false alerts ${card.falseAlerts}, ` +
    `unresolved ${card.unresolved}; precision ${pct(card.precision)}, recall ${pct(card.recall)}` +
    (card.meanDelayMs === null ? '' : `, mean delay ${formatDelay(card.meanDelayMs)}`)
  );
}

function comparisonTable(report: DrillReport): string[] {
  const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(0)}%`);
  return table(
    [
      'rules',
      'detected',
      'missed',
      'false',
      'unresolved',
      'precision',
      'recall',
      'mean delay',
      'verdict',
    ],
    report.ruleSets.map(({ name, scorecard: c }) => [
      name,
      String(c.detected),
      String(c.missed),
      String(c.falseAlerts),
      String(c.unresolved),
      pct(c.precision),
      pct(c.recall),
      c.meanDelayMs === null ? '' : formatDelay(c.meanDelayMs),
      c.pass ? 'PASS' : 'FAIL',
    ]),
  );
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) =>
    `  ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

/** The report as JSON: times as ISO strings, for scripts and CI gates. */
export function drillReportJson(report: DrillReport): unknown {
  return {
    drill: { ...drillRecordView(report.drill), windowSizeMs: report.drill.windowSizeMs },
    ruleSets: report.ruleSets.map(({ name, rules, scorecard }) => ({
      name,
      rules,
      ...scorecard,
      incidents: scorecard.incidents.map(incidentView),
      alerts: scorecard.alerts.map(alertView),
    })),
  };
}
