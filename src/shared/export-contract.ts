/**
 * Exports: the events of a time range (CSV or JSON lines) and the result tables (CSV), streamed.
 * Not part of the `domain:verb` table (whose answers are `{data, count}` values): an export is a
 * file, served as `GET /api/export/{dataset}` over HTTP and, in the app's window, written by the
 * main process to a file the user picks, with progress over IPC.
 */
import { ValidationError } from './validation-error';

export const EXPORT_TABLES = [
  'content_stats',
  'region_health',
  'device_stats',
  'alerts',
  'late_events',
  'dead_letters',
] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

export const EXPORT_DATASETS = ['events', ...EXPORT_TABLES] as const;
export type ExportDataset = (typeof EXPORT_DATASETS)[number];

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `/api/export/{dataset}` */
export const EXPORT_PATH_PREFIX = '/api/export/';

export function exportPath(dataset: ExportDataset): string {
  return `${EXPORT_PATH_PREFIX}${dataset}`;
}

/**
 * `events_2026-11-24T10-00-00Z_2026-11-24T11-00-00Z.csv`: sortable, and no character a file
 * system minds. The server's Content-Disposition and the window's save dialog use it alike.
 */
export function exportFileName(what: string, from: number, to: number, extension: string): string {
  const stamp = (t: number) =>
    new Date(t)
      .toISOString()
      .replace(/\.000Z$/, 'Z')
      .replaceAll(':', '-');
  return `${what}_${stamp(from)}_${stamp(to)}.${extension}`;
}

/** The rows to expect (without a CSV header): exact for tables, an estimate for events. */
export const TOTAL_ROWS_HEADER = 'X-Total-Estimate';

export interface ExportRequest {
  readonly dataset: ExportDataset;
  readonly from: number;
  readonly to: number;
  readonly format: ExportFormat;
}

/**
 * Checks what `validateParams` cannot see alone: a known dataset, a format it has, and a range
 * that ends after it starts. Throws a ValidationError naming the parameter.
 */
export function checkExportRequest(
  dataset: string,
  params: { from: string; to: string; format: string },
): ExportRequest {
  if (!(EXPORT_DATASETS as readonly string[]).includes(dataset)) {
    throw new ValidationError(
      'dataset',
      `must be one of ${EXPORT_DATASETS.join(', ')}, got ${JSON.stringify(dataset)}`,
    );
  }
  const from = Date.parse(params.from);
  const to = Date.parse(params.to);
  if (!(to > from)) throw new ValidationError('to', `must be after from (${params.from})`);
  if (params.format === 'jsonl' && dataset !== 'events') {
    throw new ValidationError('format', `${dataset} exports as csv only`);
  }
  return {
    dataset: dataset as ExportDataset,
    from,
    to,
    format: params.format as ExportFormat,
  };
}

/** Where an export in the app's window is, pushed over IPC. */
export interface ExportProgress {
  readonly id: string;
  readonly state: 'running' | 'done' | 'cancelled' | 'failed';
  readonly rows: number;
  readonly bytes: number;
  readonly totalRows: number | null;
  readonly totalIsExact: boolean;
  /** The file written (done) or the reason (failed). */
  readonly message: string | null;
}

/** IPC channels of the app's window (the main process owns the file and the save dialog). */
export const EXPORT_CHANNELS = {
  /** invoke(ExportRequestParams) → {id} | null (the user cancelled the dialog) */
  start: 'export:start',
  /** invoke({id}) */
  cancel: 'export:cancel',
  /** push: ExportProgress */
  progress: 'export:progress',
} as const;

/** What the window sends to start an export: the HTTP query's parameters and the dataset. */
export interface ExportRequestParams {
  readonly dataset: string;
  readonly from: string;
  readonly to: string;
  readonly format: string;
}
