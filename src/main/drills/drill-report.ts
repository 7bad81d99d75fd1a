/**
 * A recorded drill's scorecard, from the database: its incidents against the alerts of its span,
 * under the rules it ran with, and under what-if rule sets. One implementation for the CLI and
 * the API.
 */
import type { AlertRule } from '../engine/alert-rules';
import type { DrillRecord, DrillStore } from '../store/drill-store';
import { alertsUnder } from './rule-variants';
import { scoreDrill, type Scorecard } from './scorecard';

export interface RuleSetScore {
  /** "in force", or the variant as the user wrote it. */
  readonly name: string;
  readonly rules: readonly AlertRule[];
  readonly scorecard: Scorecard;
}

export interface DrillReport {
  readonly drill: DrillRecord;
  /** The rules in force first (alerts as the engine wrote them), then each variant. */
  readonly ruleSets: readonly RuleSetScore[];
}

/** The report of a drill, by id, or of a record already read (the list has them). */
export async function drillReport(
  store: DrillStore,
  drillOrId: number | DrillRecord,
  variants: ReadonlyArray<{ readonly name: string; readonly rules: readonly AlertRule[] }> = [],
): Promise<DrillReport | null> {
  const drill = typeof drillOrId === 'number' ? await store.get(drillOrId) : drillOrId;
  if (!drill) return null;
  const incidents = await store.incidents(drill.id);
  const score = (rules: readonly AlertRule[], alerts: Parameters<typeof scoreDrill>[0]['alerts']) =>
    scoreDrill({ incidents, alerts, rules, windowSizeMs: drill.windowSizeMs });
  const ruleSets: RuleSetScore[] = [
    {
      name: 'in force',
      rules: drill.rules,
      scorecard: score(drill.rules, await store.alerts(drill)),
    },
  ];
  if (variants.length > 0) {
    const rows = await store.regionRows(drill, drill.endsAt);
    for (const variant of variants) {
      ruleSets.push({
        name: variant.name,
        rules: variant.rules,
        scorecard: score(
          variant.rules,
          alertsUnder(variant.rules, rows, drill.windowSizeMs).filter(
            (a) => a.episodeStart < drill.endsAt,
          ),
        ),
      });
    }
  }
  return { drill, ruleSets };
}
