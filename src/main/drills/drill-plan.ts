/**
 * A scenario laid out in time from a start: the generator injections it makes, the stretches of
 * late delivery, the instants poison records are written, and the incidents as the scorecard sees
 * them. Pure; both the virtual-time drill and the live one follow the same plan.
 */
import type { LateDelivery } from '../generator/download-event-generator';
import type { InjectionSpec } from '../generator/failure-injection';
import type { Incident, Scenario } from './scenario';
import type { ScoredIncident } from './scorecard';

export interface PlannedInjection {
  readonly incident: number;
  readonly startsAt: number;
  readonly spec: InjectionSpec;
}

export interface PlannedPoison {
  readonly incident: number;
  readonly at: number;
  readonly count: number;
}

/** A stretch of event time with one late-delivery setting. */
export interface LateStretch {
  readonly from: number;
  readonly to: number;
  readonly late: LateDelivery;
}

export interface DrillPlan {
  readonly startsAt: number;
  readonly endsAt: number;
  readonly injections: readonly PlannedInjection[];
  readonly poison: readonly PlannedPoison[];
  /** Covers [startsAt, endsAt) with no gaps, in order. */
  readonly late: readonly LateStretch[];
  readonly incidents: readonly ScoredIncident[];
}

const ON_TIME: LateDelivery = { fraction: 0, delayMs: 0 };

export function planDrill(scenario: Scenario, startsAt: number): DrillPlan {
  const endsAt = startsAt + scenario.durationMs;
  const injections: PlannedInjection[] = [];
  const poison: PlannedPoison[] = [];
  scenario.incidents.forEach((incident, index) => {
    const at = startsAt + incident.atMs;
    const spec = injectionOf(incident);
    if (spec) injections.push({ incident: index, startsAt: at, spec });
    if (incident.kind === 'poisonRecords')
      poison.push({ incident: index, at, count: incident.count! });
  });
  return {
    startsAt,
    endsAt,
    injections,
    poison: poison.sort((a, b) => a.at - b.at),
    late: lateStretches(scenario, startsAt, endsAt),
    incidents: scenario.incidents.map((incident, index) => ({
      index,
      kind: incident.kind,
      label: incident.label,
      region: incident.region,
      device: incident.device,
      startsAt: startsAt + incident.atMs,
      endsAt: startsAt + incident.atMs + incident.durationMs,
      wallStartsAt: null,
      expect: incident.expect,
    })),
  };
}

export function injectionOf(incident: Incident): InjectionSpec | null {
  const durationMs = incident.durationMs;
  switch (incident.kind) {
    case 'regionOutage':
      return { target: { region: incident.region! }, failed: incident.errorRate!, durationMs };
    case 'deviceFailure':
      return { target: { device: incident.device! }, failed: incident.errorRate!, durationMs };
    case 'slowNetwork':
      return {
        target:
          incident.region !== null ? { region: incident.region } : { device: incident.device! },
        ...(incident.slowRate !== null ? { slow: incident.slowRate } : {}),
        ...(incident.speedFactor !== null ? { speedFactor: incident.speedFactor } : {}),
        durationMs,
      };
    default:
      return null;
  }
}

/**
 * The late-delivery setting over time: on time, except during late bursts; where bursts overlap,
 * the one that started last is in force (as with injections).
 */
export function lateStretches(scenario: Scenario, startsAt: number, endsAt: number): LateStretch[] {
  const bursts = scenario.incidents
    .map((incident, order) => ({ incident, order }))
    .filter(({ incident }) => incident.kind === 'lateBurst')
    .map(({ incident, order }) => ({
      from: startsAt + incident.atMs,
      to: startsAt + incident.atMs + incident.durationMs,
      late: { fraction: incident.lateFraction!, delayMs: incident.lateByMs! },
      order,
    }));
  const cuts = [...new Set([startsAt, endsAt, ...bursts.flatMap((b) => [b.from, b.to])])].sort(
    (a, b) => a - b,
  );
  const stretches: LateStretch[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const from = cuts[i]!;
    const to = cuts[i + 1]!;
    const active = bursts
      .filter((b) => b.from <= from && from < b.to)
      .sort((a, b) => a.from - b.from || a.order - b.order)
      .at(-1);
    const late = active?.late ?? ON_TIME;
    const previous = stretches.at(-1);
    if (previous && previous.late === late) stretches[stretches.length - 1] = { ...previous, to };
    else stretches.push({ from, to, late });
  }
  return stretches;
}
