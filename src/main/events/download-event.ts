/** The decoded shape of one event; mirrors download-event.avsc field for field. */
import type {
  ContentType,
  DeviceType,
  DownloadStatus,
  NetworkType,
  OperatingSystem,
} from '../../shared/domain';

export interface Content {
  readonly contentId: string;
  readonly title: string;
  readonly type: ContentType;
  readonly sizeBytes: number;
}

export interface Device {
  readonly type: DeviceType;
  readonly os: OperatingSystem;
  readonly osVersion: string;
}

export interface DownloadEvent {
  /** 16 raw bytes of a version-4 UUID; `formatEventId` renders it. */
  readonly eventId: Buffer;
  /** Event time, ms since the epoch. */
  readonly eventTime: number;
  readonly userId: string;
  readonly content: Content;
  readonly region: string;
  readonly device: Device;
  readonly network: NetworkType;
  readonly status: DownloadStatus;
  readonly speedMbps: number;
  readonly durationMs: number;
  readonly bytesDownloaded: number;
  readonly errorCode: string | null;
}

/** The canonical 8-4-4-4-12 form of an event id. */
export function formatEventId(id: Uint8Array): string {
  const hex = Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A plain-JSON view of an event (id as a UUID string, ISO event time), for export and inspection. */
export function eventToJson(event: DownloadEvent): Record<string, unknown> {
  return {
    eventId: formatEventId(event.eventId),
    eventTime: new Date(event.eventTime).toISOString(),
    userId: event.userId,
    content: { ...event.content },
    region: event.region,
    device: { ...event.device },
    network: event.network,
    status: event.status,
    speedMbps: shortestFloat32(event.speedMbps),
    durationMs: event.durationMs,
    bytesDownloaded: event.bytesDownloaded,
    errorCode: event.errorCode,
  };
}

/**
 * The shortest decimal that is the same 32-bit float: speeds travel as Avro floats, and
 * 160.29 reads better than 160.2899932861328 while meaning exactly the same value.
 */
export function shortestFloat32(value: number): number {
  for (let digits = 6; digits < 10; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === Math.fround(value)) return candidate;
  }
  return value;
}
