/**
 * Connecting with retries while a server wakes up: transient problems (refused, timeout,
 * unreachable: a server starting, restarting, or a Neon compute waking from zero) are retried
 * with exponential backoff (../backoff.ts) within a deadline; anything else fails at once.
 */
import type pg from 'pg';
import type { ConnectionProblem } from '../../shared/settings';
import { backoffDelays, type BackoffOptions } from '../backoff';
import {
  CONNECTION_TIMEOUT_MS,
  DatabaseConnectionError,
  explainPostgresError,
  type PostgresTarget,
} from './postgres-errors';

export { backoffDelays, type BackoffOptions };

/** The problems worth retrying: the server may be starting, waking or restarting. */
export const TRANSIENT_PROBLEMS: ReadonlySet<ConnectionProblem> = new Set([
  'refused',
  'timeout',
  'unreachable',
]);

/** The first connection to a database answers within this, however its attempts go. */
export const FIRST_CONNECT_DEADLINE_MS = 30_000;

export interface RetryInfo {
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  readonly attempts: number;
  /** The wait before the next attempt. */
  readonly delayMs: number;
  readonly problem: ConnectionProblem;
  readonly message: string;
}

export interface RetryOptions extends BackoffOptions {
  /**
   * All attempts together fail within this (default FIRST_CONNECT_DEADLINE_MS): no retry starts
   * that could not finish, its connect timeout included, before it. A host that accepts TCP and
   * never answers otherwise costs every attempt's full timeout.
   */
  readonly deadlineMs?: number;
  /** The clock for the deadline; default Date.now. Tests inject their own. */
  readonly now?: () => number;
  /** Waits `ms`; default a timer. Tests inject their own. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called after each transient failure that will be retried, before the wait. */
  readonly onRetry?: (retry: RetryInfo) => void;
}

export function isTransientProblem(problem: ConnectionProblem): boolean {
  return TRANSIENT_PROBLEMS.has(problem);
}

/**
 * A client from `pool`, retrying transient problems (refused, timeout, unreachable: a server
 * starting, restarting, or a Neon compute waking from zero) with exponential backoff. Anything
 * else (wrong password, missing database, TLS) fails at once. Failures are
 * DatabaseConnectionErrors with the explained message.
 */
export async function connectWithRetry(
  pool: pg.Pool,
  options: RetryOptions,
): Promise<pg.PoolClient> {
  const delays = backoffDelays(options);
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const deadline = now() + (options.deadlineMs ?? FIRST_CONNECT_DEADLINE_MS);
  const where = pool.options as PostgresTarget;
  const attemptMs = where.connectionTimeoutMillis ?? CONNECTION_TIMEOUT_MS;
  const began = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await pool.connect();
    } catch (error) {
      const { problem, message } = explainPostgresError(error, where);
      const delayMs = delays[attempt - 1];
      const pastDeadline = delayMs !== undefined && now() + delayMs + attemptMs > deadline;
      if (!isTransientProblem(problem) || delayMs === undefined || pastDeadline) {
        const tries =
          attempt > 1
            ? ` (${attempt} attempts in ${Math.round((now() - began) / 1000)} s, each given ` +
              `${attemptMs / 1000} s)`
            : '';
        throw new DatabaseConnectionError(`${message}${tries}`, problem, { cause: error });
      }
      options.onRetry?.({ attempt, attempts: options.attempts, delayMs, problem, message });
      await sleep(delayMs);
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
