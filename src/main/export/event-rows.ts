/**
 * How one decoded event is written out: a JSON line (the shape `events export` has always
 * printed) or a flat CSV record with the nested content and device fields spread into columns.
 */
import { eventToJson, formatEventId, shortestFloat32 } from '../events/download-event';
import type { DownloadEvent } from '../events/download-event';
import { csvRecord, type CsvColumn } from './csv';

/** An event with where it sits in the log. */
export interface LogEvent {
  readonly partition: number;
  readonly offset: number;
  readonly event: DownloadEvent;
}

export function eventJsonLine({ partition, offset, event }: LogEvent): string {
  return `${JSON.stringify({ partition, offset, ...eventToJson(event) })}\n`;
}

const text = (name: string): CsvColumn => ({ name, kind: 'text' });
const raw = (name: string): CsvColumn => ({ name, kind: 'raw' });

/** The CSV columns of an event, in order: the log position, then the Avro schema's fields. */
export const EVENT_CSV_COLUMNS: readonly CsvColumn[] = [
  raw('partition'),
  raw('offset'),
  raw('eventId'),
  raw('eventTime'),
  text('userId'),
  text('contentId'),
  text('title'),
  text('contentType'),
  raw('sizeBytes'),
  text('region'),
  text('deviceType'),
  text('os'),
  text('osVersion'),
  text('network'),
  text('status'),
  raw('speedMbps'),
  raw('durationMs'),
  raw('bytesDownloaded'),
  text('errorCode'),
];

export function eventCsvRecord({ partition, offset, event }: LogEvent): string {
  return csvRecord(EVENT_CSV_COLUMNS, [
    partition,
    offset,
    formatEventId(event.eventId),
    new Date(event.eventTime).toISOString(),
    event.userId,
    event.content.contentId,
    event.content.title,
    event.content.type,
    event.content.sizeBytes,
    event.region,
    event.device.type,
    event.device.os,
    event.device.osVersion,
    event.network,
    event.status,
    shortestFloat32(event.speedMbps),
    event.durationMs,
    event.bytesDownloaded,
    event.errorCode,
  ]);
}
