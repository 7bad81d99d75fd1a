/**
 * Watches the pipeline's database and says how it is: connecting, up, switching, unreachable (with
 * the reason in the same words as the log's outage lines). While one is up, it is probed every few
 * seconds, so the status says when it goes away and when it is back; one that is down is retried
 * in the background with backoff until it answers or the pipeline stops. The pipeline decides what
 * to do with a database (start the engine on it); this only watches and retries.
 */
import type { DatabaseStatusView } from '../../shared/api-contract';
import { backoffDelay } from '../backoff';
import type { Logger } from '../logger';
import type { Database } from '../store/database';
import { describeDatabaseTarget, type DatabaseTarget } from '../store/database-target';
import { explainPostgresError } from '../store/postgres-errors';

/** How often a running database is checked, so the status says when it goes away. */
const PROBE_EVERY_MS = 5000;

/** First retry after 1 s, doubling to at most 30 s: a database that comes back is found soon. */
const RECONNECT_BACKOFF = { initialDelayMs: 1000, maxDelayMs: 30_000 };

export class DatabaseSupervisor {
  private current: DatabaseStatusView;
  private watched: Database | null = null;
  private probe: NodeJS.Timeout | undefined;
  private probing = false;
  private reconnect: { cancelled: boolean; done: Promise<void> } | null = null;

  constructor(
    private readonly logger: Logger,
    target: DatabaseTarget,
  ) {
    this.current = describe(target, 'connecting', null);
  }

  get state(): DatabaseStatusView {
    return this.current;
  }

  /** Says `target` is being switched to, connected to, ... */
  set(target: DatabaseTarget, state: DatabaseStatusView['state'], error: string | null): void {
    this.current = describe(target, state, error);
  }

  /** `database` is up and in use: probe it until unwatch(). */
  watch(database: Database, target: DatabaseTarget): void {
    this.unwatch();
    this.watched = database;
    this.current = upState(database, target);
    this.probe = setInterval(() => void this.probeOnce(database, target), PROBE_EVERY_MS);
    this.probe.unref();
  }

  unwatch(): void {
    clearInterval(this.probe);
    this.probe = undefined;
    this.watched = null;
  }

  /**
   * Retries `target`, with backoff, until `open` gives a database that `attach` takes, or cancel().
   * The status says unreachable, with the last reason, meanwhile.
   */
  keepConnecting(
    target: DatabaseTarget,
    firstError: unknown,
    open: () => Promise<Database>,
    attach: (database: Database) => Promise<void>,
  ): void {
    const state = { cancelled: false, done: Promise.resolve() };
    state.done = (async () => {
      let error = firstError;
      for (let attempt = 1; !state.cancelled; attempt++) {
        const delay = backoffDelay(attempt, RECONNECT_BACKOFF);
        this.current = describe(target, 'unreachable', messageOf(error));
        this.logger.warn('database unreachable; events accumulate in the log, retrying', {
          retryInMs: delay,
          error: messageOf(error),
        });
        await cancellableDelay(delay, () => state.cancelled);
        if (state.cancelled) return;
        try {
          const database = await open();
          if (state.cancelled) {
            await database.close();
            return;
          }
          await attach(database);
          this.logger.info('database reachable again; the engine catches up', {
            database: database.describe(),
          });
          return;
        } catch (err) {
          error = err;
        }
      }
    })();
    this.reconnect = state;
  }

  /** Stops the background retries, and waits for an attempt under way. */
  async cancel(): Promise<void> {
    if (!this.reconnect) return;
    this.reconnect.cancelled = true;
    await this.reconnect.done;
    this.reconnect = null;
  }

  private async probeOnce(database: Database, target: DatabaseTarget): Promise<void> {
    if (this.probing || this.watched !== database) return;
    this.probing = true;
    try {
      await database.pool.query('SELECT 1');
      if (this.watched === database) this.current = upState(database, target);
    } catch (error) {
      if (this.watched !== database) return;
      this.current = {
        ...upState(database, target),
        state: 'unreachable',
        // The same words as the log's outage lines, not the driver's raw error.
        error: explainPostgresError(error, database.pool.options).message,
      };
    } finally {
      this.probing = false;
    }
  }
}

function describe(
  target: DatabaseTarget,
  state: DatabaseStatusView['state'],
  error: string | null,
): DatabaseStatusView {
  const kind = target.kind === 'url' ? 'remote' : 'embedded';
  return { kind, description: describeDatabaseTarget(target), state, error };
}

function upState(database: Database, target: DatabaseTarget): DatabaseStatusView {
  return {
    kind: target.kind === 'url' ? 'remote' : 'embedded',
    description: database.describe(),
    state: 'up',
    error: null,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Waits `ms`, checking every 100 ms whether to give up early (stop, switch). */
async function cancellableDelay(ms: number, cancelled: () => boolean): Promise<void> {
  for (let waited = 0; waited < ms && !cancelled(); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, ms - waited)));
  }
}
