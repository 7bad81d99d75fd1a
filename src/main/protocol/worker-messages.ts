/**
 * The few messages between the main thread and a pipeline worker: requests with an id and a
 * reply, status pushes, and lifecycle (ready, stopped, fatal). Errors cross as plain data.
 */
export type WorkerRequest<C> =
  | { readonly type: 'request'; readonly id: number; readonly command: C }
  | { readonly type: 'stop' };

export type WorkerMessage<S> =
  | { readonly type: 'ready' }
  | {
      readonly type: 'reply';
      readonly id: number;
      readonly result?: unknown;
      readonly error?: SerializedError;
    }
  | { readonly type: 'status'; readonly status: S }
  | { readonly type: 'stopped' }
  | { readonly type: 'fatal'; readonly error: SerializedError };

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  /** For validation errors: the parameter at fault. */
  readonly field?: string;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const field = (err as { field?: unknown }).field;
    return {
      name: err.name,
      message: err.message,
      ...(typeof field === 'string' ? { field } : {}),
    };
  }
  return { name: 'Error', message: String(err) };
}

/** A worker-side error, rebuilt on the main thread with its name and field. */
export class WorkerError extends Error {
  readonly field: string | undefined;

  constructor(serialized: SerializedError) {
    super(serialized.message);
    this.name = serialized.name;
    this.field = serialized.field;
  }
}
