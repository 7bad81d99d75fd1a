/** Test helpers: events with chosen times, regions and outcomes, from a real generated template. */
import type { DecodedRecord } from '../../src/main/events/decode-records';
import type { DownloadEvent } from '../../src/main/events/download-event';
import { DownloadEventGenerator } from '../../src/main/generator/download-event-generator';

const template = new DownloadEventGenerator({ seed: 'engine-tests' }).take(1, 0, 1)[0]!;

export function eventAt(
  eventTime: number,
  overrides: Partial<Omit<DownloadEvent, 'eventTime'>> = {},
): DownloadEvent {
  const status = overrides.status ?? 'SUCCESS';
  return {
    ...template,
    errorCode: status === 'FAILED' ? 'NETWORK_TIMEOUT' : null,
    ...overrides,
    eventTime,
    status,
  };
}

/** Records with consecutive offsets from `firstOffset`. */
export function records(events: readonly DownloadEvent[], firstOffset = 0): DecodedRecord[] {
  return events.map((event, i) => ({ offset: firstOffset + i, event }));
}

/** `total` events for one region spread over a window, `bad` of them with `badStatus`. */
export function windowOfEvents(
  windowStart: number,
  sizeMs: number,
  region: string,
  total: number,
  bad: number,
  badStatus: DownloadEvent['status'] = 'FAILED',
): DownloadEvent[] {
  return Array.from({ length: total }, (_, i) =>
    eventAt(windowStart + Math.floor((i * sizeMs) / total), {
      region,
      status: i < bad ? badStatus : 'SUCCESS',
    }),
  );
}
