import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DrillView } from '../../../shared/drill-views';
import { createDrillsStore, IDLE_POLL_MS, RUNNING_POLL_MS } from './drills-store';
import { FakeClient } from '../../../../tests/support/renderer/fixtures';
import { ApiError } from '../api/api-client';

const AT = '2026-11-24T12:00:00.000Z';

function drill(id: number, status: DrillView['status']): DrillView {
  return {
    id,
    name: `drill ${id}`,
    mode: 'live',
    seed: '1',
    status,
    error: null,
    startsAt: AT,
    endsAt: AT,
    wallStartedAt: AT,
    wallEndedAt: null,
    incidents: 0,
    detected: 0,
    missed: 0,
    falseAlerts: 0,
    pass: true,
    verdict: 'PASS',
    description: '',
    windowSizeMs: 60_000,
    ratePerSecond: 100,
    rules: [],
    unresolved: 0,
    precision: null,
    recall: null,
    meanDelayMs: null,
    incidentList: [],
    alerts: [],
  };
}

describe('the drills store', () => {
  let client: FakeClient;
  let drills: DrillView[];
  beforeEach(() => {
    vi.useFakeTimers();
    client = new FakeClient();
    drills = [drill(2, 'finished'), drill(1, 'finished')];
    client.handlers['drills:scenarios'] = () => [
      {
        file: 'a.yaml',
        name: 'A',
        description: '',
        durationMs: 60_000,
        ratePerSecond: 1,
        incidents: 1,
      },
    ];
    client.handlers['drills:list'] = () => drills;
    client.handlers['drills:get'] = (p) => drills.find((d) => d.id === (p as { id: number }).id)!;
  });
  afterEach(() => vi.useRealTimers());

  it('shows the newest drill and picks the first scenario', async () => {
    const store = createDrillsStore(client);
    await store.getState().refresh();
    expect(store.getState()).toMatchObject({ scenario: 'a.yaml', selectedId: null });
    expect(store.getState().shown?.id).toBe(2);
    await store.getState().select(1);
    await store.getState().refresh();
    expect(store.getState().shown?.id).toBe(1);
  });

  it('starts the picked scenario, polls fast while it runs and slowly after, and stops it', async () => {
    client.handlers['drills:start'] = () => {
      drills = [drill(3, 'running'), ...drills];
      return drills[0]!;
    };
    client.handlers['drills:stop'] = () => {
      drills[0] = drill(3, 'stopped');
      return drills[0];
    };
    const store = createDrillsStore(client);
    const unwatch = store.getState().watch();
    await vi.advanceTimersByTimeAsync(0);
    await store.getState().startDrill();
    expect(client.calls.find((c) => c.name === 'drills:start')?.params).toEqual({
      scenario: 'a.yaml',
    });
    expect(store.getState().shown).toMatchObject({ id: 3, status: 'running' });
    const lists = client.count('drills:list');
    await vi.advanceTimersByTimeAsync(RUNNING_POLL_MS);
    expect(client.count('drills:list')).toBe(lists + 1);
    await store.getState().stopDrill();
    expect(store.getState().shown).toMatchObject({ id: 3, status: 'stopped' });
    const after = client.count('drills:list');
    await vi.advanceTimersByTimeAsync(RUNNING_POLL_MS * 2);
    // Nothing runs: back to the slow pace (one poll may have been due already).
    expect(client.count('drills:list')).toBeLessThanOrEqual(after + 1);
    await vi.advanceTimersByTimeAsync(IDLE_POLL_MS);
    expect(client.count('drills:list')).toBeGreaterThan(after);
    unwatch();
    const stoppedAt = client.count('drills:list');
    await vi.advanceTimersByTimeAsync(IDLE_POLL_MS * 2);
    expect(client.count('drills:list')).toBe(stoppedAt);
  });

  it('shows why a start was refused', async () => {
    client.handlers['drills:start'] = () => {
      throw new ApiError('conflict', 'drill 2 is running; stop it before starting another');
    };
    const store = createDrillsStore(client);
    await store.getState().refresh();
    await store.getState().startDrill();
    expect(store.getState()).toMatchObject({
      busy: false,
      error: 'drill 2 is running; stop it before starting another',
    });
  });
});
