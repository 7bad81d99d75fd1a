/**
 * Messages between the main thread and an events export's worker. The worker sends the answer's
 * metadata first, then chunks only as the main thread grants credits (one per chunk it has
 * written to the client), so a slow client holds the worker back rather than filling memory.
 */
import type { LogBackend } from '../log/open-event-log';
import type { EventFormat } from './event-export';
import type { UndecodableNote } from './log-event-reader';

export interface ExportWorkerData {
  readonly backend: LogBackend;
  readonly request: {
    readonly from: number;
    readonly to: number;
    readonly format: EventFormat;
    readonly horizonMs: number;
    readonly maxFutureMs: number;
  };
}

/** Main → worker. */
export type ToExportWorker =
  { readonly kind: 'more'; readonly chunks: number } | { readonly kind: 'stop' };

/** Worker → main. */
export type FromExportWorker =
  | {
      readonly kind: 'meta';
      readonly contentType: string;
      readonly fileName: string;
      readonly totalRows: number | null;
      readonly totalIsExact: boolean;
    }
  | { readonly kind: 'chunk'; readonly text: string }
  | { readonly kind: 'note'; readonly note: UndecodableNote }
  | { readonly kind: 'end' }
  | { readonly kind: 'error'; readonly name: string; readonly message: string };
