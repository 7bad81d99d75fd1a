import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES, validateAlertRules, type AlertRule } from './alert-rules';
import type { AlertRecord } from './alert-tracker';
import { engineConfig } from './engine-config';
import { records, windowOfEvents } from '../../../tests/support/engine-test-events';
import { WindowEngine } from './window-engine';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);

/** Runs windows with the given error rates (100 events each; null: no events) through an engine. */
function alertsFor(
  errorRates: Array<number | null>,
  region = 'EU-London',
  rules = DEFAULT_ALERT_RULES,
  perWindow = 100,
  badStatus: 'FAILED' | 'SLOW' = 'FAILED',
): AlertRecord[] {
  const engine = new WindowEngine(engineConfig({ alertRules: rules }), [0]);
  const alerts: AlertRecord[] = [];
  let offset = 0;
  errorRates.forEach((rate, i) => {
    if (rate === null) return;
    const events = windowOfEvents(
      T0 + i * MIN,
      MIN,
      region,
      perWindow,
      Math.round(rate * perWindow),
      badStatus,
    );
    engine.process(0, records(events, offset), offset + events.length, 0);
    offset += events.length;
    alerts.push(...engine.advance(0).alerts);
  });
  alerts.push(...engine.flush().alerts);
  return alerts;
}

describe('HIGH_ERROR_RATE alerts', () => {
  it('opens one alert after 3 consecutive windows above 10%', () => {
    const alerts = alertsFor([0.05, 0.2, 0.15, 0.12, 0.05]);
    expect(alerts[0]).toMatchObject({
      type: 'HIGH_ERROR_RATE',
      region: 'EU-London',
      severity: 'WARNING',
      episodeStart: T0 + MIN,
      createdAt: T0 + 4 * MIN,
      resolvedAt: null,
      metricValue: 0.2,
      thresholdValue: 0.1,
    });
    expect(alerts[0]!.message).toMatch(
      /EU-London error rate above 10.0% for 3 consecutive windows/,
    );
  });

  it('opens none for 2 bad windows followed by recovery', () => {
    expect(alertsFor([0.2, 0.3, 0.05, 0.2, 0.3, 0.01])).toEqual([]);
  });

  it('keeps a long incident one alert, and resolves it when the rate falls back', () => {
    const alerts = alertsFor([0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.04, 0.03]);
    const episodes = new Set(alerts.map((a) => a.episodeStart));
    expect(episodes.size).toBe(1);
    expect(alerts.at(-1)).toMatchObject({ episodeStart: T0, resolvedAt: T0 + 9 * MIN });
  });

  it('raises severity to CRITICAL for a large breach, without opening a second alert', () => {
    const alerts = alertsFor([0.12, 0.12, 0.12, 0.4]);
    expect(alerts.map((a) => [a.severity, a.metricValue])).toEqual([
      ['WARNING', 0.12],
      ['CRITICAL', 0.4],
    ]);
    expect(new Set(alerts.map((a) => a.episodeStart)).size).toBe(1);
  });

  it('ignores windows below the minimum sample size', () => {
    expect(alertsFor([0.5, 0.5, 0.5], 'EU-London', DEFAULT_ALERT_RULES, 10)).toEqual([]);
  });

  it('does not count windows across a gap as consecutive', () => {
    expect(alertsFor([0.2, 0.2, null, 0.2])).toEqual([]);
  });

  it('opens a separate episode for a new incident after resolution', () => {
    const alerts = alertsFor([0.2, 0.2, 0.2, 0.01, 0.2, 0.2, 0.2]);
    expect(new Set(alerts.map((a) => a.episodeStart))).toEqual(new Set([T0, T0 + 4 * MIN]));
  });

  it('takes new rule kinds as data: a slow-download rule', () => {
    const slowRule: AlertRule = {
      id: 'slow-downloads',
      type: 'SLOW_DOWNLOADS',
      metric: 'slowRate',
      direction: 'above',
      threshold: 0.3,
      consecutiveWindows: 2,
      minEvents: 20,
    };
    // Failed downloads do not trip it; slow ones do, after 2 windows.
    expect(alertsFor([0.5, 0.5, 0.5], 'EU-Paris', [slowRule])).toEqual([]);
    const alerts = alertsFor(
      [0.5, 0.5, 0.5],
      'EU-Paris',
      [slowRule, ...DEFAULT_ALERT_RULES],
      100,
      'SLOW',
    );
    expect(alerts).toEqual([
      expect.objectContaining({
        type: 'SLOW_DOWNLOADS',
        episodeStart: T0,
        createdAt: T0 + 2 * MIN,
      }),
    ]);
  });

  it('rejects an invalid rule with the field named', () => {
    expect(() =>
      validateAlertRules([{ ...DEFAULT_ALERT_RULES[0]!, metric: 'mood' as never }]),
    ).toThrow(/alertRules\[0\].metric/);
    expect(() => validateAlertRules([DEFAULT_ALERT_RULES[0]!, DEFAULT_ALERT_RULES[0]!])).toThrow(
      /used twice/,
    );
  });
});
