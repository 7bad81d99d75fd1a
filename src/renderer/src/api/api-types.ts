/**
 * What the dashboard's API client is, whichever transport carries it: the client interface, the
 * export's progress and handle, and the error the UI shows. Its own module, so the transports
 * (http-api-client, ipc-api-client, http-export) and the factory (api-client) need not import
 * each other.
 */
import type { ApiName, ApiParams, ApiResult } from '../../../shared/api-contract';
import type { LiveSnapshot } from '../../../shared/live-snapshot';
import type { ExportRequestParams } from '../../../shared/export-contract';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface ApiClient {
  readonly transport: 'ipc' | 'http';
  call<K extends ApiName>(name: K, params?: Partial<ApiParams<K>>): Promise<ApiResult<K>>;
  /** Live snapshots as they come; returns the unsubscribe function. */
  subscribe(
    onSnapshot: (snapshot: LiveSnapshot) => void,
    onConnection?: (state: ConnectionState) => void,
  ): () => void;
  /**
   * Starts an export to a file: the browser streams the download (to a file it lets the user
   * pick where it can, else to a Blob it then saves), the app's main process writes the file the
   * user picks. Null when the user cancelled the file choice.
   */
  startExport(
    params: ExportRequestParams,
    onProgress: (status: ExportStatus) => void,
  ): Promise<ExportHandle | null>;
}

/** How far an export is: rows and bytes so far, and the rows to expect where known. */
export interface ExportStatus {
  readonly rows: number;
  readonly bytes: number;
  readonly totalRows: number | null;
  readonly totalIsExact: boolean;
}

export interface ExportEnd extends ExportStatus {
  readonly state: 'done' | 'cancelled';
  /** The file written (its name, or its path in the app). */
  readonly file: string | null;
}

export interface ExportHandle {
  /** Stops it: the server stops reading, the partial file is dropped. */
  cancel(): void;
  /** Settles when it ends; rejects with an ApiError when it fails. */
  readonly finished: Promise<ExportEnd>;
}

/** An API error with what the UI shows next to the control that caused it. */
export class ApiError extends Error {
  readonly field: string | undefined;
  readonly status: number | undefined;
  /** Every field at fault, when several are (the settings form). */
  readonly errors: ReadonlyArray<{ readonly field: string; readonly message: string }>;

  constructor(
    name: string,
    message: string,
    field?: string,
    status?: number,
    errors: ApiError['errors'] = field ? [{ field, message }] : [],
  ) {
    super(message);
    this.name = name;
    this.field = field;
    this.status = status;
    this.errors = errors;
  }
}
