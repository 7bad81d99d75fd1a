import { describe, expect, it } from 'vitest';
import { scoreDrill, type ScoredAlert, type ScoredIncident } from './scorecard';

const T0 = Date.UTC(2026, 10, 24, 10);
const MIN = 60_000;
const RULES = [
  { id: 'errors', metric: 'errorRate' as const },
  { id: 'slow', metric: 'slowRate' as const },
];

function incident(over: Partial<ScoredIncident>): ScoredIncident {
  return {
    index: 0,
    kind: 'regionOutage',
    label: 'outage',
    region: 'EU-London',
    device: null,
    startsAt: T0 + 5 * MIN,
    endsAt: T0 + 13 * MIN,
    wallStartsAt: null,
    expect: 'alert',
    ...over,
  };
}

function alert(over: Partial<ScoredAlert>): ScoredAlert {
  return {
    id: 1,
    ruleId: 'errors',
    type: 'HIGH_ERROR_RATE',
    severity: 'WARNING',
    region: 'EU-London',
    metricValue: 0.4,
    episodeStart: T0 + 5 * MIN,
    createdAt: T0 + 8 * MIN,
    resolvedAt: T0 + 14 * MIN,
    raisedAt: null,
    ...over,
  };
}

const score = (incidents: ScoredIncident[], alerts: ScoredAlert[]) =>
  scoreDrill({ incidents, alerts, rules: RULES, windowSizeMs: MIN });

describe('scoreDrill', () => {
  it('matches an alert to the incident of its region and metric, with the delay in event and wall time', () => {
    const card = score(
      [incident({ startsAt: T0 + 5 * MIN + 30_000, wallStartsAt: 1_000 })],
      [alert({ raisedAt: 1_000 + 152_000 })],
    );
    expect(card.incidents[0]).toMatchObject({
      result: 'detected',
      alertId: 1,
      delayMs: 150_000,
      wallDelayMs: 152_000,
    });
    expect(card).toMatchObject({
      detected: 1,
      missed: 0,
      falseAlerts: 0,
      precision: 1,
      recall: 1,
      pass: true,
    });
  });

  it('counts alerts in another region, of another metric, raised before it or begun after it as false', () => {
    const card = score(
      [incident({})],
      [
        alert({ id: 1, region: 'EU-Paris' }),
        alert({ id: 2, ruleId: 'slow' }),
        alert({ id: 3, episodeStart: T0 + MIN, createdAt: T0 + 4 * MIN }),
        alert({ id: 4, episodeStart: T0 + 13 * MIN, createdAt: T0 + 16 * MIN, resolvedAt: null }),
      ],
    );
    expect(card.alerts.map((a) => [a.id, a.falseAlert, a.reason])).toEqual([
      [3, true, 'no incident behind it'],
      [2, true, 'no incident behind it'],
      [1, true, 'no incident behind it'],
      [4, true, 'no incident behind it'],
    ]);
    expect(card).toMatchObject({
      missed: 1,
      falseAlerts: 4,
      unresolved: 1,
      precision: 0,
      recall: 0,
      pass: false,
    });
    expect(card.verdict).toBe(
      'FAIL: 1 of 1 expected incidents missed; 4 false alerts; 1 alert still open at the end',
    );
  });

  it('credits an alert whose streak began just before the incident but was raised after it', () => {
    const card = score(
      [incident({})],
      [alert({ episodeStart: T0 + 4 * MIN, createdAt: T0 + 7 * MIN })],
    );
    expect(card.incidents[0]).toMatchObject({ result: 'detected', delayMs: 2 * MIN });
  });

  it('gives a device failure the alerts of every region, and scores blips that should pass', () => {
    const card = score(
      [
        incident({ index: 0, kind: 'deviceFailure', region: null, device: 'APPLE_TV' }),
        incident({
          index: 1,
          kind: 'regionOutage',
          region: 'US-Texas',
          startsAt: T0 + 20 * MIN,
          endsAt: T0 + 22 * MIN,
          expect: 'none',
        }),
        incident({
          index: 2,
          kind: 'lateBurst',
          region: null,
          startsAt: T0 + 30 * MIN,
          endsAt: T0 + 33 * MIN,
          expect: 'none',
        }),
      ],
      [
        alert({ id: 1, region: 'EU-Paris' }),
        alert({ id: 2, region: 'US-Texas' }),
        alert({ id: 3, region: 'US-Texas', episodeStart: T0 + 20 * MIN, createdAt: T0 + 23 * MIN }),
      ],
    );
    expect(card.incidents.map((i) => i.result)).toEqual(['detected', 'alerted', 'passed']);
    expect(card.alerts.map((a) => a.falseAlert)).toEqual([false, false, true]);
    expect(card.alerts[2]!.reason).toBe('fired on outage, which the rules should let pass');
    expect(card).toMatchObject({ detected: 1, falseAlerts: 1, recall: 1 });
  });

  it('leaves incidents no rule watches out of the recall', () => {
    const card = scoreDrill({
      incidents: [incident({ kind: 'slowNetwork' })],
      alerts: [],
      rules: [RULES[0]!],
      windowSizeMs: MIN,
    });
    expect(card.incidents[0]!.result).toBe('unwatched');
    expect(card).toMatchObject({ recall: null, precision: null, pass: true });
    expect(card.verdict).toBe('PASS: no incident expected an alert; no false alerts');
  });
});
