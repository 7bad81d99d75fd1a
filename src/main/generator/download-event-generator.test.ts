import { describe, expect, it } from 'vitest';
import type { DownloadEvent } from '../events/download-event';
import { DownloadEventGenerator } from './download-event-generator';
import { NETWORK_SPEED } from './platform-profile';

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);

function shares(events: readonly DownloadEvent[]): Record<string, number> {
  const counts: Record<string, number> = { SUCCESS: 0, FAILED: 0, SLOW: 0 };
  for (const e of events) counts[e.status]! += 1;
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / events.length]));
}

describe('DownloadEventGenerator', () => {
  it('produces the default 90/8/2 outcome mix within 0.5 points over 100k events', () => {
    const events = new DownloadEventGenerator({ seed: 1 }).take(100_000, T0, 10);
    const mix = shares(events);
    expect(mix.SUCCESS).toBeCloseTo(0.9, 2);
    expect(Math.abs(mix.FAILED! - 0.08)).toBeLessThan(0.005);
    expect(Math.abs(mix.SLOW! - 0.02)).toBeLessThan(0.005);
  });

  it('follows a changed outcome mix', () => {
    const generator = new DownloadEventGenerator({ seed: 1 });
    generator.setOutcomeMix({ failed: 0.3, slow: 0.1 });
    const mix = shares(generator.take(50_000, T0, 10));
    expect(Math.abs(mix.FAILED! - 0.3)).toBeLessThan(0.01);
    expect(Math.abs(mix.SLOW! - 0.1)).toBeLessThan(0.01);
  });

  it('keeps speeds, durations, bytes and error codes consistent with the outcome', () => {
    const events = new DownloadEventGenerator({ seed: 2 }).take(50_000, T0, 10);
    for (const e of events) {
      expect(e.errorCode === null).toBe(e.status !== 'FAILED');
      if (e.status === 'FAILED') expect(e.bytesDownloaded).toBeLessThan(e.content.sizeBytes);
      else expect(e.bytesDownloaded).toBe(e.content.sizeBytes);
      expect(e.speedMbps).toBeGreaterThan(0);
      const transferMs = (e.bytesDownloaded * 8) / (e.speedMbps * 1000);
      const timeoutMs = e.errorCode === 'NETWORK_TIMEOUT' ? 30_000 : 0;
      expect(Math.abs(e.durationMs - timeoutMs - transferMs)).toBeLessThanOrEqual(1);
    }
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const wifi = events.filter((e) => e.network === 'WIFI');
    const fast = median(wifi.filter((e) => e.status === 'SUCCESS').map((e) => e.speedMbps));
    const slow = median(wifi.filter((e) => e.status === 'SLOW').map((e) => e.speedMbps));
    expect(fast / NETWORK_SPEED.WIFI.medianMbps).toBeGreaterThan(0.8);
    expect(fast / NETWORK_SPEED.WIFI.medianMbps).toBeLessThan(1.25);
    expect(slow).toBeLessThan(fast / 5);
    const cellular3g = median(
      events.filter((e) => e.network === 'CELLULAR_3G').map((e) => e.speedMbps),
    );
    const ethernet = median(events.filter((e) => e.network === 'ETHERNET').map((e) => e.speedMbps));
    expect(ethernet).toBeGreaterThan(cellular3g * 20);
  });

  it('spreads events over every region, device type and network, with valid v4 UUIDs', () => {
    const events = new DownloadEventGenerator({ seed: 3 }).take(20_000, T0, 10);
    expect(new Set(events.map((e) => e.region)).size).toBe(9);
    expect(new Set(events.map((e) => e.device.type)).size).toBe(5);
    expect(new Set(events.map((e) => e.network)).size).toBe(5);
    expect(new Set(events.map((e) => e.eventId.toString('hex'))).size).toBe(events.length);
    for (const e of events.slice(0, 100)) {
      expect(e.eventId[6]! >> 4).toBe(4);
      expect(e.eventId[8]! >> 6).toBe(2);
    }
  });

  it('gives the same events for the same seed and times, and different ones for another seed', () => {
    const a = new DownloadEventGenerator({ seed: 'same' }).take(5000, T0, 7);
    const b = new DownloadEventGenerator({ seed: 'same' }).take(5000, T0, 7);
    const c = new DownloadEventGenerator({ seed: 'other' }).take(5000, T0, 7);
    expect(b).toEqual(a);
    expect(c.map((e) => e.eventId)).not.toEqual(a.map((e) => e.eventId));
  });

  it('spaces event times by the interval', () => {
    const events = new DownloadEventGenerator({ seed: 4 }).take(1000, T0, 250);
    expect(events[0]!.eventTime).toBe(T0);
    expect(events[999]!.eventTime).toBe(T0 + 999 * 250);
  });

  it('delivers the configured fraction of events late by exactly the delay', () => {
    const generator = new DownloadEventGenerator({
      seed: 5,
      late: { fraction: 0.1, delayMs: 8000 },
    });
    const events = generator.take(20_000, T0, 10);
    const late = events.filter((e, i) => e.eventTime !== T0 + i * 10);
    expect(late.length / events.length).toBeGreaterThan(0.09);
    expect(late.length / events.length).toBeLessThan(0.11);
    events.forEach((e, i) => {
      if (e.eventTime !== T0 + i * 10) expect(e.eventTime).toBe(T0 + i * 10 - 8000);
    });
  });

  describe('failure injection', () => {
    it("changes only the targeted region's mix", () => {
      const generator = new DownloadEventGenerator({ seed: 6 });
      generator.inject({ target: { region: 'EU-London' }, failed: 0.4 }, T0);
      const events = generator.take(100_000, T0, 10);
      const london = shares(events.filter((e) => e.region === 'EU-London'));
      const others = shares(events.filter((e) => e.region !== 'EU-London'));
      expect(Math.abs(london.FAILED! - 0.4)).toBeLessThan(0.02);
      expect(Math.abs(others.FAILED! - 0.08)).toBeLessThan(0.006);
    });

    it("changes only the targeted device's mix, including speed", () => {
      const generator = new DownloadEventGenerator({ seed: 7 });
      generator.inject({ target: { device: 'APPLE_TV' }, slow: 0.5, speedFactor: 0.5 }, T0);
      const events = generator.take(100_000, T0, 10);
      const tv = events.filter((e) => e.device.type === 'APPLE_TV');
      const rest = events.filter((e) => e.device.type !== 'APPLE_TV');
      expect(Math.abs(shares(tv).SLOW! - 0.5)).toBeLessThan(0.02);
      expect(Math.abs(shares(rest).SLOW! - 0.02)).toBeLessThan(0.004);
      const meanWifiSuccess = (xs: DownloadEvent[]): number => {
        const s = xs.filter((e) => e.network === 'WIFI' && e.status === 'SUCCESS');
        return s.reduce((sum, e) => sum + e.speedMbps, 0) / s.length;
      };
      expect(meanWifiSuccess(tv) / meanWifiSuccess(rest)).toBeCloseTo(0.5, 1);
    });

    it('ends when its duration is over', () => {
      const generator = new DownloadEventGenerator({ seed: 8 });
      generator.inject({ target: { region: 'ASIA-Tokyo' }, failed: 1, durationMs: 60_000 }, T0);
      // 20 events per second for two minutes: the first minute under injection, the second not.
      const events = generator.take(2400, T0, 50);
      const tokyo = events.filter((e) => e.region === 'ASIA-Tokyo');
      const during = tokyo.filter((e) => e.eventTime < T0 + 60_000);
      const after = tokyo.filter((e) => e.eventTime >= T0 + 60_000);
      expect(during.length).toBeGreaterThan(50);
      expect(during.every((e) => e.status === 'FAILED')).toBe(true);
      expect(shares(after).FAILED!).toBeLessThan(0.25);
      expect(generator.activeInjections(T0 + 30_000)).toHaveLength(1);
      expect(generator.activeInjections(T0 + 60_000)).toHaveLength(0);
    });

    it('lets the most recent matching injection win, and clearing restores the base mix', () => {
      const generator = new DownloadEventGenerator({ seed: 9 });
      generator.inject({ target: { region: 'US-Texas' }, failed: 0.5 }, T0);
      generator.inject({ target: { device: 'IPHONE' }, failed: 0 }, T0);
      const events = generator.take(50_000, T0, 10);
      const texasIphone = events.filter(
        (e) => e.region === 'US-Texas' && e.device.type === 'IPHONE',
      );
      const texasOther = events.filter(
        (e) => e.region === 'US-Texas' && e.device.type !== 'IPHONE',
      );
      expect(shares(texasIphone).FAILED).toBe(0);
      expect(Math.abs(shares(texasOther).FAILED! - 0.5)).toBeLessThan(0.04);
      generator.clearInjections();
      const later = generator.take(50_000, T0 + 600_000, 10);
      expect(
        Math.abs(shares(later.filter((e) => e.region === 'US-Texas')).FAILED! - 0.08),
      ).toBeLessThan(0.02);
    });

    it('rejects bad injections with the field named', () => {
      const generator = new DownloadEventGenerator({ seed: 10 });
      expect(() => generator.inject({ target: { region: 'MARS-Base' }, failed: 0.5 }, T0)).toThrow(
        /target.region/,
      );
      expect(() => generator.inject({ target: { region: 'EU-Paris' }, failed: 1.5 }, T0)).toThrow(
        /failed/,
      );
      expect(() =>
        generator.inject({ target: { region: 'EU-Paris' }, failed: 0.7, slow: 0.5 }, T0),
      ).toThrow(/exceed/);
      expect(() => generator.inject({ target: { region: 'EU-Paris' } }, T0)).toThrow(
        /at least one/,
      );
      expect(() => generator.setOutcomeMix({ failed: -0.1, slow: 0 })).toThrow(/outcomeMix.failed/);
      expect(generator.activeInjections(T0)).toHaveLength(0);
    });
  });
});
