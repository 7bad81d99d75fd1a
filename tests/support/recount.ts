/**
 * An independent recount of the aggregate tables from exported events, written without the
 * engine's code, to check the engine's tables against.
 */
export interface ExportedEvent {
  partition: number;
  offset: number;
  eventTime: string;
  region: string;
  status: 'SUCCESS' | 'FAILED' | 'SLOW';
  speedMbps: number;
  durationMs: number;
  bytesDownloaded: number;
  content: { contentId: string; title: string; type: string };
  device: { type: string };
}

export interface Counts {
  total: number;
  successful: number;
  failed: number;
  slow: number;
  speedSum: number;
  durationSum: number;
  bytes: number;
  speeds: number[];
}

export interface Recount {
  readonly content: Map<string, Counts>;
  readonly region: Map<string, Counts>;
  readonly device: Map<string, Counts>;
}

/** Keys are `${windowStartIso}|${id}`. */
export function recount(events: readonly ExportedEvent[], windowMs: number): Recount {
  const result: Recount = { content: new Map(), region: new Map(), device: new Map() };
  for (const e of events) {
    const time = Date.parse(e.eventTime);
    const window = new Date(time - (((time % windowMs) + windowMs) % windowMs)).toISOString();
    add(result.content, `${window}|${e.content.contentId}`, e);
    add(result.region, `${window}|${e.region}`, e);
    add(result.device, `${window}|${e.device.type}`, e);
  }
  return result;
}

function add(map: Map<string, Counts>, key: string, e: ExportedEvent): void {
  let c = map.get(key);
  if (!c) {
    c = {
      total: 0,
      successful: 0,
      failed: 0,
      slow: 0,
      speedSum: 0,
      durationSum: 0,
      bytes: 0,
      speeds: [],
    };
    map.set(key, c);
  }
  c.total++;
  if (e.status === 'SUCCESS') c.successful++;
  else if (e.status === 'FAILED') c.failed++;
  else c.slow++;
  c.speedSum += e.speedMbps;
  c.durationSum += e.durationMs;
  c.bytes += e.bytesDownloaded;
  c.speeds.push(e.speedMbps);
}

/** Nearest-rank percentile. */
export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}
