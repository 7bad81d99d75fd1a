/**
 * Exports the app's window asks for: the main process writes the file the user picked, so the
 * data never crosses IPC, and pushes progress (at most ~10 times a second) to the window. A cancel
 * stops the read behind the export (the cursor, the log reader) and removes the partial file, as
 * does a failure. Plain Node: the Electron glue (the save dialog, webContents.send) is passed in.
 */
import { EXPORT_PARAMS } from '../../shared/api/exports';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { validateParams } from '../../shared/api/params';
import {
  checkExportRequest,
  exportFileName,
  type ExportProgress,
  type ExportRequestParams,
} from '../../shared/export-contract';
import type { ExportService } from './export-service';

export interface ExportJobsOptions {
  readonly service: ExportService;
  /** Asks where to save (Electron: dialog.showSaveDialog); null: the user cancelled. */
  readonly chooseFile: (suggestedName: string) => Promise<string | null>;
  /** Pushes progress to the window. */
  readonly send: (progress: ExportProgress) => void;
  readonly now?: () => number;
}

/** Progress is pushed at most this often (ms), plus once at the end. */
const PROGRESS_EVERY_MS = 100;

export class ExportJobs {
  readonly #options: ExportJobsOptions;
  readonly #running = new Map<string, AbortController>();

  constructor(options: ExportJobsOptions) {
    this.#options = options;
  }

  /**
   * Validates (a ValidationError names the parameter), asks for the file, opens the export and
   * starts writing; answers its id at once, or null if the user cancelled the dialog.
   */
  async start(params: ExportRequestParams): Promise<{ id: string; file: string } | null> {
    const { dataset, ...query } = params;
    const checked = validateParams(EXPORT_PARAMS, query, 'body');
    const request = checkExportRequest(String(dataset), checked);
    const suggested = exportFileName(request.dataset, request.from, request.to, request.format);
    const file = await this.#options.chooseFile(suggested);
    if (file === null) return null;
    const prepared = await this.#options.service.prepare(request);
    const id = randomUUID();
    const abort = new AbortController();
    this.#running.set(id, abort);
    void this.#write(id, file, prepared, abort.signal).finally(() => this.#running.delete(id));
    return { id, file };
  }

  /** Stops an export; its partial file is removed. Unknown or finished ids are ignored. */
  cancel(id: string): void {
    this.#running.get(id)?.abort();
  }

  async #write(
    id: string,
    file: string,
    prepared: Awaited<ReturnType<ExportService['prepare']>>,
    signal: AbortSignal,
  ): Promise<void> {
    const now = this.#options.now ?? (() => performance.now());
    const base = { id, totalRows: prepared.totalRows, totalIsExact: prepared.totalIsExact };
    let rows = 0;
    let bytes = 0;
    let lastSent = -Infinity;
    const out = createWriteStream(file, { flags: 'w', mode: 0o600 });
    try {
      for await (const chunk of prepared.chunks) {
        if (signal.aborted) break;
        const buffer = Buffer.from(chunk, 'utf8');
        bytes += buffer.length;
        rows += countLines(buffer);
        if (!out.write(buffer)) await once(out, 'drain', { signal });
        if (now() - lastSent >= PROGRESS_EVERY_MS) {
          lastSent = now();
          this.#options.send({
            ...base,
            state: 'running',
            rows: dataRows(rows, prepared),
            bytes,
            message: null,
          });
        }
      }
      out.end();
      await once(out, 'finish');
      if (signal.aborted) throw signal.reason;
      this.#options.send({
        ...base,
        state: 'done',
        rows: dataRows(rows, prepared),
        bytes,
        message: file,
      });
    } catch (err) {
      out.destroy();
      await rm(file, { force: true });
      const cancelled = signal.aborted;
      this.#options.send({
        ...base,
        state: cancelled ? 'cancelled' : 'failed',
        rows: dataRows(rows, prepared),
        bytes,
        message: cancelled ? null : err instanceof Error ? err.message : String(err),
      });
    } finally {
      await prepared.close();
    }
  }
}

function countLines(buffer: Buffer): number {
  let n = 0;
  for (let i = buffer.indexOf(10); i >= 0; i = buffer.indexOf(10, i + 1)) n++;
  return n;
}

/** Lines minus the CSV header (a CSV field with a line break counts twice: progress only). */
function dataRows(lines: number, prepared: { contentType: string }): number {
  return prepared.contentType.startsWith('text/csv') ? Math.max(0, lines - 1) : lines;
}
