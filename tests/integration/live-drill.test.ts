/**
 * A live drill through the API of a running `streampulse serve` (1-second windows, so the rules
 * need 3 seconds): the scenario's outage is injected by the wall clock, the alert comes and the
 * scorecard says detected with its delay; a second drill is refused while one runs; stopping
 * removes the injection and cuts the drill there.
 */
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillView, ScenarioView } from '../../src/shared/drill-views';
import type { Controls } from '../../src/shared/api-contract';
import { expectApiResult } from '../support/api-result';
import { startHeadlessApp, type HeadlessApp } from '../support/headless-app';

let app: HeadlessApp;
let token: string;
const scenarios = mkdtempSync(join(tmpdir(), 'sp-scenarios-'));

beforeAll(async () => {
  writeFileSync(
    join(scenarios, 'london.yaml'),
    [
      'name: London goes down',
      'description: A live outage for the test',
      'duration: 10m',
      'incidents:',
      '  - { kind: regionOutage, region: EU-London, at: 1s, duration: 9m, errorRate: 0.9 }',
      '  - { kind: poisonRecords, at: 9m, count: 3 }',
    ].join('\n'),
  );
  writeFileSync(join(scenarios, 'broken.yaml'), 'name: [');
  app = await startHeadlessApp(['--rate', '600', '--window', '1s', '--scenarios', scenarios]);
  token = readFileSync(join(app.dataDir, 'api-token'), 'utf8').trim();
}, 60_000);

afterAll(async () => {
  await app?.stop();
});

async function api<T>(path: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(new URL(path, app.url), {
    method: init.method ?? 'GET',
    headers: {
      'Content-Type': 'application/json',
      ...(init.method && init.method !== 'GET' ? { Authorization: `Bearer ${token}` } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const json = (await res.json()) as { data: T; detail?: string };
  return { status: res.status, data: json.data, detail: json.detail };
}

/** Polls `read` until `done` holds (the drill runs by the wall clock), for up to 40 s. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 40_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('a live drill', () => {
  it('lists the ready scenarios that validate', async () => {
    const { status, data } = await api<ScenarioView[]>('/api/drills/scenarios');
    expect(status).toBe(200);
    expectApiResult('drills:scenarios', data);
    expect(data).toEqual([
      {
        file: 'london.yaml',
        name: 'London goes down',
        description: 'A live outage for the test',
        durationMs: 600_000,
        ratePerSecond: 100,
        incidents: 2,
      },
    ]);
  });

  it('injects the outage, catches it after 3 windows, refuses a second drill, and stops', async () => {
    const started = await api<DrillView>('/api/drills', {
      method: 'POST',
      body: { scenario: 'london.yaml' },
    });
    expect(started.status, started.detail).toBe(200);
    expectApiResult('drills:start', started.data);
    expect(started.data).toMatchObject({ mode: 'live', status: 'running', incidents: 2 });
    const id = started.data.id;

    const again = await api('/api/drills', { method: 'POST', body: { scenario: 'london.yaml' } });
    expect(again.status).toBe(409);
    expect(again.detail).toMatch(new RegExp(`drill ${id} is running`));
    const unknown = await api('/api/drills', { method: 'POST', body: { scenario: '../x.yaml' } });
    expect(unknown.status).toBe(400);
    expect(unknown.detail).toMatch(
      /no ready scenario "\.\.\/x\.yaml"; one of broken\.yaml, london\.yaml/,
    );

    const controls = await until(
      () => api<Controls>('/api/control'),
      (r) => r.data.injections.length > 0,
    );
    expectApiResult('control:get', controls.data);
    expect(controls.data.injections).toEqual([
      expect.objectContaining({ region: 'EU-London', failed: 0.9 }),
    ]);

    const caught = await until(
      () => api<DrillView>(`/api/drills/${id}`),
      (r) => r.data.incidentList[0]!.result === 'detected',
    );
    expectApiResult('drills:get', caught.data);
    const outage = caught.data.incidentList[0]!;
    // The rule needs 3 windows of 1 s. The window the injection lands in may not breach (only
    // part of it is injected), so the streak starts there or at the next one: at most 1 + 3 s.
    expect(outage.delayMs).toBeGreaterThan(0);
    expect(outage.delayMs).toBeLessThanOrEqual(4000);
    expect(outage.wallDelayMs).toBeGreaterThan(0);
    expect(caught.data.incidentList[1]!.result).toBe('upcoming');
    expect(caught.data.verdict).toMatch(/^RUNNING: 1 detected so far, 1 incident still to come/);
    expect(caught.data.alerts.find((a) => a.id === outage.alertId)).toMatchObject({
      region: 'EU-London',
      falseAlert: false,
      incidents: [0],
    });

    const stopped = await api<DrillView>(`/api/drills/${id}/stop`, { method: 'POST', body: {} });
    expect(stopped.status, stopped.detail).toBe(200);
    expectApiResult('drills:stop', stopped.data);
    expect(stopped.data.status).toBe('stopped');
    // The poison records never came: cut from the ground truth; the outage ends at the stop.
    expect(stopped.data.incidentList.map((i) => i.kind)).toEqual(['regionOutage']);
    expect(Date.parse(stopped.data.endsAt)).toBeLessThan(
      Date.parse(started.data.startsAt) + 60_000,
    );
    expect((await api<Controls>('/api/control')).data.injections).toEqual([]);

    const twice = await api(`/api/drills/${id}/stop`, { method: 'POST', body: {} });
    expect(twice.status).toBe(409);
    expect(twice.detail).toMatch(/is not running \(it is stopped\)/);
    expect((await api('/api/drills/999999')).status).toBe(404);
    expect(app.output()).not.toMatch(/drill step failed/);

    const list = await api<Array<{ id: number; status: string }>>('/api/drills');
    expectApiResult('drills:list', list.data);
    expect(list.data[0]).toMatchObject({ id, status: 'stopped' });
  }, 90_000);
});
