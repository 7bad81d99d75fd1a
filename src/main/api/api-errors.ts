/**
 * Errors the API maps to HTTP statuses. Handlers throw NotFoundError (404) and ConflictError
 * (409) from src/shared/errors.ts; the server matches on `name`, so the same errors rebuilt from a worker (WorkerError keeps
 * the name) map the same way. HttpError is the server's own early answer (401, 413, 415, ...).
 */
import type { ApiErrorBody } from '../../shared/api-contract';
import { fieldErrorsOf } from '../../shared/validation-error';

/** An answer decided before any handler runs: its status, body and extra headers. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${status} ${body.error}: ${body.detail}`);
  }
}

/** How an error thrown while answering maps to a status and a body; null: unexpected (500). */
export function expectedErrorResponse(err: unknown): { status: number; body: ApiErrorBody } | null {
  if (err instanceof HttpError) return { status: err.status, body: err.body };
  if (!(err instanceof Error)) return null;
  const field = (err as { field?: unknown }).field;
  if (err.name === 'ValidationError' || typeof field === 'string') {
    const errors = fieldErrorsOf(err);
    return {
      status: 400,
      body: {
        error: 'invalid parameter',
        detail: err.message,
        ...(typeof field === 'string' ? { field } : {}),
        ...(errors ? { errors } : {}),
      },
    };
  }
  if (err.name === 'NotFoundError')
    return { status: 404, body: { error: 'not found', detail: err.message } };
  if (err.name === 'ConflictError')
    return { status: 409, body: { error: 'conflict', detail: err.message } };
  if (err.name === 'UnavailableError')
    return { status: 503, body: { error: 'unavailable', detail: err.message } };
  if (isDatabaseConnectionLoss(err)) {
    return {
      status: 503,
      body: {
        error: 'unavailable',
        detail:
          'the database is unreachable; events keep accumulating in the log and are counted when it is back',
      },
    };
  }
  return null;
}

/** pg's errors for a database that went away (refused, reset, shut down, timed out). */
function isDatabaseConnectionLoss(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && DATABASE_GONE_CODES.has(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|the database system is (shutting down|starting up)/i.test(
    err.message,
  );
}

const DATABASE_GONE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08003',
  '08006',
]);
