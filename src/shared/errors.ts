/**
 * Errors that say what went wrong in the caller's terms, thrown anywhere (a handler, a worker, the
 * drills) and mapped by the API to HTTP statuses by `name` (src/main/api/api-errors.ts), so the
 * same error rebuilt from a worker (WorkerError keeps the name) maps the same way.
 */

/** The thing asked for does not exist (an alert id, ...): 404. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The request conflicts with the current state (a replay already running, ...): 409. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}
