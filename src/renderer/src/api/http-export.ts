/**
 * An export in a browser: fetch with the launch token, read the body as a stream (counting bytes
 * and lines for the progress), and save it. Where the browser offers the File System Access API
 * (Chromium), the user picks the file first and the body streams to disk; elsewhere the chunks
 * are kept and saved from a Blob at the end (a million-row export is ~150 MB of memory then).
 * A cancel aborts the fetch: the server sees the connection close and stops its read.
 */
import { EXPORT_PARAMS } from '../../../shared/api/exports';
import type { ApiErrorBody } from '../../../shared/api-contract';
import { validateParams } from '../../../shared/api/params';
import {
  checkExportRequest,
  EXPORT_PATH_PREFIX,
  exportFileName,
  TOTAL_ROWS_HEADER,
} from '../../../shared/export-contract';
import { ApiError, type ExportEnd, type ExportHandle, type ExportStatus } from './api-types';
import type { ExportRequestParams } from '../../../shared/export-contract';

/** Where the body goes. */
interface Sink {
  write(chunk: Uint8Array): Promise<void>;
  /** Completes the file, under the server's name where the sink chooses one. */
  close(fileName: string): Promise<string>;
  abort(): Promise<void>;
}

interface SaveFilePicker {
  (options: { suggestedName: string }): Promise<{
    name: string;
    createWritable(): Promise<{
      write(data: Uint8Array): Promise<void>;
      close(): Promise<void>;
      abort(): Promise<void>;
    }>;
  }>;
}

const PROGRESS_EVERY_MS = 100;

export async function startHttpExport(
  origin: string,
  token: () => string,
  params: ExportRequestParams,
  onProgress: (status: ExportStatus) => void,
): Promise<ExportHandle | null> {
  // The checks the server makes, first: a mistake is named before any file is asked for.
  try {
    const { dataset, ...query } = params;
    checkExportRequest(dataset, validateParams(EXPORT_PARAMS, query, 'query'));
  } catch (err) {
    const error = err as Error & { field?: string };
    throw new ApiError(error.name, error.message, error.field, 400);
  }
  const sink = await chooseSink(params);
  if (!sink) return null;
  const controller = new AbortController();
  const url = new URL(`${EXPORT_PATH_PREFIX}${encodeURIComponent(params.dataset)}`, origin);
  for (const name of ['from', 'to', 'format'] as const) url.searchParams.set(name, params[name]);
  const finished = transfer(url, token(), controller.signal, sink, onProgress);
  return { cancel: () => controller.abort(), finished };
}

async function transfer(
  url: URL,
  token: string,
  signal: AbortSignal,
  sink: Sink,
  onProgress: (status: ExportStatus) => void,
): Promise<ExportEnd> {
  let status: ExportStatus = { rows: 0, bytes: 0, totalRows: null, totalIsExact: false };
  try {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal });
    if (!response.ok || !response.body) throw await errorOf(response);
    const total = response.headers.get(TOTAL_ROWS_HEADER);
    const csv = (response.headers.get('Content-Type') ?? '').startsWith('text/csv');
    status = {
      ...status,
      totalRows: total === null ? null : Number(total),
      totalIsExact: response.headers.get('X-Total-Exact') === 'true',
    };
    onProgress(status);
    const reader = response.body.getReader();
    let lines = 0;
    let bytes = 0;
    let lastReport = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      for (let i = value.indexOf(10); i >= 0; i = value.indexOf(10, i + 1)) lines++;
      await sink.write(value);
      if (performance.now() - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = performance.now();
        // A CSV's first line is its header (a field with a line break counts twice: progress only).
        onProgress((status = { ...status, rows: csv ? Math.max(0, lines - 1) : lines, bytes }));
      }
    }
    status = { ...status, rows: csv ? Math.max(0, lines - 1) : lines, bytes };
    onProgress(status);
    const file = await sink.close(fileNameOf(response) ?? 'export');
    return { ...status, state: 'done', file };
  } catch (err) {
    await sink.abort();
    if (signal.aborted) return { ...status, state: 'cancelled', file: null };
    if (err instanceof ApiError) throw err;
    throw new ApiError('NetworkError', `the export stopped: ${(err as Error).message}`);
  }
}

/** The File System Access picker where there is one; else a Blob saved at the end. */
async function chooseSink(params: ExportRequestParams): Promise<Sink | null> {
  const picker = (window as unknown as { showSaveFilePicker?: SaveFilePicker }).showSaveFilePicker;
  if (!picker) return blobSink();
  const extension = params.format === 'jsonl' ? 'jsonl' : 'csv';
  const suggestedName = exportFileName(
    params.dataset,
    Date.parse(params.from),
    Date.parse(params.to),
    extension,
  );
  let handle: Awaited<ReturnType<SaveFilePicker>>;
  try {
    handle = await picker({ suggestedName });
  } catch (err) {
    if ((err as Error).name === 'AbortError') return null; // the user closed the picker
    return blobSink(); // not allowed here (e.g. no user gesture): fall back
  }
  const writable = await handle.createWritable();
  return {
    write: (chunk) => writable.write(chunk),
    close: async () => {
      await writable.close();
      return handle.name;
    },
    abort: () => writable.abort().catch(() => undefined),
  };
}

function blobSink(): Sink {
  let parts: Uint8Array[] = [];
  return {
    write: async (chunk) => void parts.push(chunk),
    close: async (fileName) => {
      const url = URL.createObjectURL(new Blob(parts as BlobPart[]));
      parts = [];
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
      // The download has taken the Blob by the time the click returns; release it soon after.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return fileName;
    },
    abort: async () => void (parts = []),
  };
}

function fileNameOf(response: Response): string | null {
  const disposition = response.headers.get('Content-Disposition') ?? '';
  return /filename="([^"]+)"/.exec(disposition)?.[1] ?? null;
}

async function errorOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as ApiErrorBody | null;
  return new ApiError(
    body?.error ?? response.statusText,
    body?.detail ?? `HTTP ${response.status}`,
    body?.field,
    response.status,
  );
}
