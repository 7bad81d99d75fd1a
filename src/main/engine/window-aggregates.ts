/**
 * What one window of one source partition accumulates: per content, per region and per device.
 * Accumulators in the create / add / extract style: plain counters and sums, so they merge, and
 * serialize into a checkpoint as arrays.
 */
import type { DownloadEvent } from '../events/download-event';
import {
  bucketOf,
  createHistogram,
  histogramFromPairs,
  histogramToPairs,
  type SpeedHistogram,
} from './speed-histogram';

export interface Outcomes {
  total: number;
  successful: number;
  failed: number;
  slow: number;
}

export interface ContentAggregate extends Outcomes {
  readonly contentId: string;
  readonly title: string;
  readonly contentType: string;
  bytes: number;
}

export interface RegionAggregate extends Outcomes {
  readonly region: string;
  speedSum: number;
  readonly speeds: SpeedHistogram;
}

export interface DeviceAggregate extends Outcomes {
  readonly deviceType: string;
  speedSum: number;
  durationSum: number;
}

export class WindowAggregates {
  readonly start: number;
  /** Exclusive; start + the window size (shorter for the last window before a size change). */
  readonly end: number;
  readonly content = new Map<string, ContentAggregate>();
  readonly region = new Map<string, RegionAggregate>();
  readonly device = new Map<string, DeviceAggregate>();
  events = 0;

  constructor(start: number, end: number) {
    this.start = start;
    this.end = end;
  }

  add(event: DownloadEvent): void {
    this.events++;
    const status = event.status;
    const c = event.content;
    let content = this.content.get(c.contentId);
    if (content === undefined) {
      content = {
        contentId: c.contentId,
        title: c.title,
        contentType: c.type,
        ...zeroOutcomes(),
        bytes: 0,
      };
      this.content.set(c.contentId, content);
    }
    countOutcome(content, status);
    content.bytes += event.bytesDownloaded;

    let region = this.region.get(event.region);
    if (region === undefined) {
      region = { region: event.region, ...zeroOutcomes(), speedSum: 0, speeds: createHistogram() };
      this.region.set(event.region, region);
    }
    countOutcome(region, status);
    region.speedSum += event.speedMbps;
    region.speeds[bucketOf(event.speedMbps)]! += 1;

    const deviceType = event.device.type;
    let device = this.device.get(deviceType);
    if (device === undefined) {
      device = { deviceType, ...zeroOutcomes(), speedSum: 0, durationSum: 0 };
      this.device.set(deviceType, device);
    }
    countOutcome(device, status);
    device.speedSum += event.speedMbps;
    device.durationSum += event.durationMs;
  }

  toJSON(): SerializedWindow {
    return {
      start: this.start,
      end: this.end,
      events: this.events,
      content: [...this.content.values()].map((a) => [
        a.contentId,
        a.title,
        a.contentType,
        a.total,
        a.successful,
        a.failed,
        a.slow,
        a.bytes,
      ]),
      region: [...this.region.values()].map((a) => [
        a.region,
        a.total,
        a.successful,
        a.failed,
        a.slow,
        a.speedSum,
        histogramToPairs(a.speeds),
      ]),
      device: [...this.device.values()].map((a) => [
        a.deviceType,
        a.total,
        a.successful,
        a.failed,
        a.slow,
        a.speedSum,
        a.durationSum,
      ]),
    };
  }

  /** `endOf` gives the end of windows saved before they recorded it. */
  static fromJSON(data: SerializedWindow, endOf: (start: number) => number): WindowAggregates {
    const window = new WindowAggregates(data.start, data.end ?? endOf(data.start));
    window.events = data.events;
    for (const [
      contentId,
      title,
      contentType,
      total,
      successful,
      failed,
      slow,
      bytes,
    ] of data.content) {
      window.content.set(contentId, {
        contentId,
        title,
        contentType,
        total,
        successful,
        failed,
        slow,
        bytes,
      });
    }
    for (const [region, total, successful, failed, slow, speedSum, pairs] of data.region) {
      window.region.set(region, {
        region,
        total,
        successful,
        failed,
        slow,
        speedSum,
        speeds: histogramFromPairs(pairs),
      });
    }
    for (const [
      deviceType,
      total,
      successful,
      failed,
      slow,
      speedSum,
      durationSum,
    ] of data.device) {
      window.device.set(deviceType, {
        deviceType,
        total,
        successful,
        failed,
        slow,
        speedSum,
        durationSum,
      });
    }
    return window;
  }
}

export interface SerializedWindow {
  readonly start: number;
  /** Absent in checkpoints from before window sizes could change: start + the size. */
  readonly end?: number;
  readonly events: number;
  readonly content: ReadonlyArray<[string, string, string, number, number, number, number, number]>;
  readonly region: ReadonlyArray<[string, number, number, number, number, number, number[]]>;
  readonly device: ReadonlyArray<[string, number, number, number, number, number, number]>;
}

function zeroOutcomes(): Outcomes {
  return { total: 0, successful: 0, failed: 0, slow: 0 };
}

function countOutcome(outcomes: Outcomes, status: DownloadEvent['status']): void {
  outcomes.total++;
  if (status === 'SUCCESS') outcomes.successful++;
  else if (status === 'FAILED') outcomes.failed++;
  else outcomes.slow++;
}
