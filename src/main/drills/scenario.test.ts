import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lateStretches, planDrill } from './drill-plan';
import { parseScenarioText, validateScenario } from './scenario';

const T0 = Date.UTC(2026, 10, 24, 10);
const MIN = 60_000;

describe('scenarios', () => {
  it('reads every scenario shipped in scenarios/', () => {
    const dir = join(__dirname, '../../../scenarios');
    const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      expect(
        () => parseScenarioText(readFileSync(join(dir, file), 'utf8'), file),
        file,
      ).not.toThrow();
    }
  });

  it('takes durations as text or seconds, and defaults what is left out', () => {
    const scenario = validateScenario({
      name: 'x',
      duration: 600,
      incidents: [
        { kind: 'poisonRecords', at: '90s', count: 3 },
        { kind: 'poisonRecords', at: '1m 30s', count: 1 },
        { kind: 'poisonRecords', at: '0h1m30.5s', count: 1 },
      ],
    });
    expect(scenario).toMatchObject({
      durationMs: 10 * MIN,
      ratePerSecond: 100,
      background: { failed: 0.02, slow: 0.05 },
    });
    expect(scenario.incidents.map((i) => i.atMs)).toEqual([90_000, 90_000, 90_500]);
    expect(scenario.incidents[0]).toMatchObject({
      atMs: 90_000,
      durationMs: 0,
      count: 3,
      expect: 'none',
      label: 'poisonRecords',
    });
  });

  it.each([
    [{}, 'name: must be a non-empty text'],
    [{ name: 'x', duration: '10m' }, 'incidents: must be a list'],
    [{ name: 'x', duration: '10 minutes', incidents: [] }, 'duration: must be a duration'],
    [
      { name: 'x', duration: '10m', background: { failed: 0.7, slow: 0.5 }, incidents: [] },
      'background: failed + slow must not exceed 1',
    ],
    [
      {
        name: 'x',
        duration: '10m',
        incidents: [
          {
            kind: 'slowNetwork',
            at: 0,
            duration: 60,
            region: 'EU-Paris',
            device: 'MAC',
            slowRate: 1,
          },
        ],
      },
      'incidents[0].region: give exactly one of region or device',
    ],
    [
      {
        name: 'x',
        duration: '10m',
        incidents: [{ kind: 'lateBurst', at: 0, duration: 60, fraction: 0.2 }],
      },
      'incidents[0].lateBy: is required',
    ],
    [
      {
        name: 'x',
        duration: '10m',
        incidents: [
          { kind: 'deviceFailure', at: 0, duration: 60, device: 'TOASTER', errorRate: 1 },
        ],
      },
      'incidents[0].device: unknown device "TOASTER"',
    ],
    [
      { name: 'x', duration: '10m', incidents: [{ kind: 'poisonRecords', at: 0, count: 1.5 }] },
      'incidents[0].count: must be a whole number',
    ],
    [
      {
        name: 'x',
        duration: '10m',
        incidents: [
          {
            kind: 'regionOutage',
            at: 0,
            duration: 60,
            region: 'EU-Paris',
            errorRate: 1,
            expect: 'maybe',
          },
        ],
      },
      'incidents[0].expect: must be "alert" or "none"',
    ],
  ])('refuses %j naming the field', (raw, message) => {
    expect(() => validateScenario(raw)).toThrow(message);
  });
});

describe('planDrill', () => {
  const scenario = validateScenario({
    name: 'x',
    duration: '30m',
    incidents: [
      { kind: 'lateBurst', at: '5m', duration: '10m', fraction: 0.1, lateBy: '30s' },
      { kind: 'lateBurst', at: '8m', duration: '2m', fraction: 0.5, lateBy: '2m' },
      { kind: 'regionOutage', at: '20m', duration: '5m', region: 'EU-Paris', errorRate: 0.3 },
      { kind: 'poisonRecords', at: '30m', count: 2 },
    ],
  });

  it('lays late stretches end to end, the burst that started last winning where they overlap', () => {
    expect(
      lateStretches(scenario, T0, T0 + 30 * MIN).map((s) => [
        (s.from - T0) / MIN,
        (s.to - T0) / MIN,
        s.late.fraction,
      ]),
    ).toEqual([
      [0, 5, 0],
      [5, 8, 0.1],
      [8, 10, 0.5],
      [10, 15, 0.1],
      [15, 30, 0],
    ]);
  });

  it('turns incidents into injections and poison instants at their event times', () => {
    const plan = planDrill(scenario, T0);
    expect(plan.injections).toEqual([
      {
        incident: 2,
        startsAt: T0 + 20 * MIN,
        spec: { target: { region: 'EU-Paris' }, failed: 0.3, durationMs: 5 * MIN },
      },
    ]);
    expect(plan.poison).toEqual([{ incident: 3, at: T0 + 30 * MIN, count: 2 }]);
    expect(plan.incidents[2]).toMatchObject({
      startsAt: T0 + 20 * MIN,
      endsAt: T0 + 25 * MIN,
      expect: 'alert',
    });
  });
});
