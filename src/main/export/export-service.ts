/**
 * Starts exports for the HTTP API and the app's window: events from the log in use, tables from
 * the database in use. Each export holds a database connection or a log reader while it streams,
 * so only a few run at once; the count of those running is kept for /metrics and the tests.
 */
import type pg from 'pg';
import type { ExportRequest } from '../../shared/export-contract';
import type { EventLog } from '../log/event-log';
import type { Logger } from '../logger';
import { prepareEventExport, type EventExportRequest } from './event-export';
import { once, type PreparedExport } from './prepared-export';
import { prepareTableExport } from './table-export';

/** What the engine allows, which decides how far past a range's end the log is read. */
export interface EngineTiming {
  readonly outOfOrdernessMs: number;
  readonly allowedLatenessMs: number;
  readonly maxFutureMs: number;
}

export interface ExportSources {
  /** The database in use (may throw while it is unreachable: the API answers 503). */
  pool(): pg.Pool;
  /**
   * Opens an events export: in a worker in the app (prepareEventExportInWorker: decoding is CPU
   * work the main thread must not do), in this thread in tests (eventsInProcess).
   */
  prepareEvents(request: EventsRequest): Promise<PreparedExport>;
  engine(): EngineTiming;
  readonly logger: Logger;
}

export type EventsRequest = Omit<EventExportRequest, 'onUndecodable'>;

/** Events exported on this thread, from a log opened (read-only) for each export. */
export function eventsInProcess(
  openLog: () => Promise<EventLog>,
  logger: Logger,
): ExportSources['prepareEvents'] {
  return (request) =>
    prepareEventExport(openLog, {
      ...request,
      onUndecodable: (note) => logger.warn('export skipped undecodable records', { ...note }),
    });
}

/** Too many exports at once: 429 over HTTP. */
export class TooManyExportsError extends Error {
  override readonly name = 'TooManyExportsError';
}

/** Two: the dashboard's own reads keep the rest of the pool (5 connections by default). */
export const MAX_CONCURRENT_EXPORTS = 2;

export class ExportService {
  readonly #sources: ExportSources;
  readonly #max: number;
  #running = 0;
  #started = 0;

  constructor(sources: ExportSources, options: { maxConcurrent?: number } = {}) {
    this.#sources = sources;
    this.#max = options.maxConcurrent ?? MAX_CONCURRENT_EXPORTS;
  }

  /** Exports streaming now (or prepared and not yet closed). */
  get running(): number {
    return this.#running;
  }

  /** Exports started since launch. */
  get started(): number {
    return this.#started;
  }

  async prepare(request: ExportRequest): Promise<PreparedExport> {
    if (this.#running >= this.#max) {
      throw new TooManyExportsError(
        `${this.#running} exports are running (at most ${this.#max} at once): wait for one to finish or cancel it`,
      );
    }
    this.#running++;
    this.#started++;
    const finished = once(async () => void this.#running--);
    try {
      return this.#tracked(await this.#open(request), finished);
    } catch (err) {
      await finished();
      throw err;
    }
  }

  #open(request: ExportRequest): Promise<PreparedExport> {
    const { dataset, from, to } = request;
    if (dataset !== 'events')
      return prepareTableExport(this.#sources.pool(), { table: dataset, from, to });
    const engine = this.#sources.engine();
    return this.#sources.prepareEvents({
      from,
      to,
      format: request.format,
      horizonMs: engine.outOfOrdernessMs + engine.allowedLatenessMs,
      maxFutureMs: engine.maxFutureMs,
    });
  }

  /** The same export, counted as running until its chunks end or it is closed. */
  #tracked(prepared: PreparedExport, finished: () => Promise<void>): PreparedExport {
    async function* chunks(): AsyncGenerator<string, void, undefined> {
      try {
        yield* prepared.chunks;
      } finally {
        await finished();
      }
    }
    return {
      ...prepared,
      chunks: chunks(),
      close: async () => {
        try {
          await prepared.close();
        } finally {
          await finished();
        }
      },
    };
  }
}
