import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/api-client';
import { createDashboardStore, isUnreachable } from './dashboard-store';
import {
  CONTROLS,
  FakeClient,
  pipelineStatus,
  snapshot,
} from '../../../../tests/support/renderer/fixtures';

const QUERIES_PER_REFRESH = 7;

let client: FakeClient;

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  client = new FakeClient();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the dashboard store', () => {
  it('keeps the live snapshot and the connection state', async () => {
    const store = createDashboardStore(client);
    const stop = store.getState().start();
    expect(store.getState().connection).toBe('connecting');
    const s = snapshot();
    client.push(s);
    expect(store.getState().connection).toBe('connected');
    expect(store.getState().live).toBe(s);
    client.connection('disconnected');
    expect(store.getState().connection).toBe('disconnected');
    stop();
    expect(client.unsubscribed).toBe(true);
  });

  it('refreshes the panels at once, then at most once a second on snapshots', async () => {
    const store = createDashboardStore(client);
    store.getState().start();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.calls).toHaveLength(QUERIES_PER_REFRESH);
    expect(store.getState().controls).toEqual(CONTROLS);
    expect(store.getState().rangeStats?.downloads).toBe(1200);

    client.push(snapshot());
    client.push(snapshot());
    await vi.advanceTimersByTimeAsync(0);
    expect(client.calls).toHaveLength(QUERIES_PER_REFRESH);

    await vi.advanceTimersByTimeAsync(1000);
    client.push(snapshot());
    await vi.advanceTimersByTimeAsync(0);
    expect(client.calls).toHaveLength(2 * QUERIES_PER_REFRESH);
  });

  it('keeps an unchanged answer’s reference so its panel does not re-render', async () => {
    const store = createDashboardStore(client);
    client.handlers['stats:trending'] = () => [
      { contentId: 'c1', title: 'A', contentType: 'MOVIE', downloads: 3, successful: 3, failed: 0 },
    ];
    await store.getState().refresh();
    const first = store.getState().trending;
    await store.getState().refresh();
    expect(store.getState().trending).toBe(first);
  });

  it('asks for the selected range and drops the old range’s figures', async () => {
    const store = createDashboardStore(client);
    await store.getState().refresh();
    client.calls.length = 0;
    store.getState().setRange(15);
    expect(store.getState().trending).toBeNull();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.calls.find((c) => c.name === 'stats:trending')?.params).toEqual({
      minutes: 15,
      limit: 8,
    });
    expect(client.calls.find((c) => c.name === 'stats:timeseries')?.params).toEqual({
      minutes: 60,
      bucket: '1m',
    });
  });

  it('retries an unreachable backend with backoff 1 s, 2 s, 4 s … 15 s, and recovers', async () => {
    const store = createDashboardStore(client);
    client.failWith = new ApiError('NetworkError', 'the backend is unreachable (fetch failed)');
    store.getState().start();
    await vi.advanceTimersByTimeAsync(0);
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      const { reachability } = store.getState();
      expect(reachability.reachable).toBe(false);
      expect(reachability.attempt).toBe(attempt);
      expect(reachability.lastError).toMatch(/unreachable/);
      const wait = reachability.retryAt! - Date.now();
      waits.push(wait);
      const before = client.calls.length;
      // Snapshots do not bypass the backoff.
      client.push(snapshot());
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(client.calls.length).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(client.calls.length).toBe(before + QUERIES_PER_REFRESH);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000]);

    client.failWith = null;
    await vi.advanceTimersByTimeAsync(15_000);
    expect(store.getState().reachability).toEqual({
      reachable: true,
      attempt: 0,
      retryAt: null,
      lastError: null,
    });
    expect(store.getState().controls).toEqual(CONTROLS);
    expect(store.getState().queryErrors).toEqual({});
  });

  it('shows a refused query on its panel without calling the backend unreachable', async () => {
    const store = createDashboardStore(client);
    client.handlers['stats:devices'] = () => {
      throw new ApiError(
        'invalid parameter',
        'minutes: must be between 1 and 1440',
        'minutes',
        400,
      );
    };
    await store.getState().refresh();
    expect(store.getState().queryErrors).toEqual({
      devices: 'minutes: must be between 1 and 1440',
    });
    expect(store.getState().reachability.reachable).toBe(true);
    expect(
      isUnreachable(new ApiError('internal error', 'see the server log', undefined, 500)),
    ).toBe(true);
    // The database down is not the backend away: the status has its own notice for that.
    expect(
      isUnreachable(new ApiError('unavailable', 'the database is unreachable', undefined, 503)),
    ).toBe(false);
    expect(isUnreachable(new ApiError('UnavailableError', 'the database is unreachable'))).toBe(
      false,
    );
  });

  it('keeps each control’s pending state and its error, with the field at fault', async () => {
    const store = createDashboardStore(client);
    let release!: () => void;
    client.handlers['control:setRate'] = () =>
      new Promise((resolve) => {
        release = () => resolve({ ...CONTROLS, ratePerSecond: 500 });
      });
    const done = store.getState().runControl('rate', 'control:setRate', { ratePerSecond: 500 });
    expect(store.getState().pending).toEqual({ rate: true });
    release();
    await done;
    expect(store.getState().pending.rate).toBe(false);
    expect(store.getState().controls?.ratePerSecond).toBe(500);

    client.handlers['control:inject'] = () => {
      throw new ApiError(
        'invalid parameter',
        'failed: must be between 0 and 1, got 4',
        'failed',
        400,
      );
    };
    expect(await store.getState().runControl('inject', 'control:inject', { failed: 4 })).toBe(
      undefined,
    );
    expect(store.getState().controlErrors.inject).toEqual({
      message: 'failed: must be between 0 and 1, got 4',
      field: 'failed',
    });
    // Another control's error stays its own.
    expect(store.getState().controlErrors.rate).toBeUndefined();
    store.getState().clearControlError('inject');
    expect(store.getState().controlErrors.inject).toBeUndefined();
  });

  it('keeps the replay answer', async () => {
    const store = createDashboardStore(client);
    await store.getState().runControl('replay', 'replay:start', { from: '2026-01-01T00:00:00Z' });
    expect(store.getState().replayStarted?.state).toBe('running');
  });

  it('flags a hot partition and a partition whose lag keeps growing', () => {
    const store = createDashboardStore(client);
    store.getState().start();
    for (let i = 0; i < 6; i++) {
      client.push(
        snapshot(
          pipelineStatus([
            { perSecond: 900, lag: 0 },
            { perSecond: 50, lag: 100 * (i + 1) },
            { perSecond: 40, lag: 5 },
          ]),
        ),
      );
      if (i < 5) expect(store.getState().flags.laggingPartitions).toEqual([]);
    }
    expect(store.getState().flags).toMatchObject({
      hotPartitions: [0],
      laggingPartitions: [1],
      engineStalled: true,
    });
  });
});
