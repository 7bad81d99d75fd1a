/**
 * Exponential backoff, one rule for every retry loop (PostgreSQL connects, the pipeline's
 * reconnection to a database that is down, the Kafka client's retries): the first wait, doubling
 * up to a maximum. No jitter: a handful of processes per server, not a fleet.
 */

export interface BackoffOptions {
  /** Tries in all, the first included; at least 1. */
  readonly attempts: number;
  /** The wait after the first failure; each next one doubles. */
  readonly initialDelayMs: number;
  /** No wait is longer than this. */
  readonly maxDelayMs: number;
}

/** The wait after failed attempt `attempt` (from 1): initialDelayMs doubling up to maxDelayMs. */
export function backoffDelay(
  attempt: number,
  options: Pick<BackoffOptions, 'initialDelayMs' | 'maxDelayMs'>,
): number {
  return Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * The waits between attempts: attempts - 1 of them, initialDelayMs doubling up to maxDelayMs.
 * E.g. 5 attempts from 200 ms up to 2 s: [200, 400, 800, 1600].
 */
export function backoffDelays(options: BackoffOptions): number[] {
  const { attempts, initialDelayMs, maxDelayMs } = options;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`attempts must be an integer >= 1, got ${attempts}`);
  }
  if (!(initialDelayMs >= 0) || !(maxDelayMs >= 0)) {
    throw new RangeError('initialDelayMs and maxDelayMs must be >= 0');
  }
  return Array.from({ length: attempts - 1 }, (_, i) => backoffDelay(i + 1, options));
}
