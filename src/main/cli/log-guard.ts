/**
 * One database counts one event log. A command that feeds a log into a database checks that the
 * database holds that log's results, or none: offsets of another log would be applied to this one
 * (counting part of it, or failing past its end) and its rows mixed with this log's.
 */
import type { EventLog } from '../log/event-log';
import { legacyLogIdentity, logIdentity, type LogBackend } from '../log/open-event-log';
import type { CheckpointStore } from '../store/checkpoint-store';

/** Throws, before anything is written, if the database holds another log's results. */
export async function requireSameLog(
  checkpoints: CheckpointStore,
  backend: LogBackend,
  log: EventLog,
  database: { describe(): string },
  what = 'run',
): Promise<{ readonly logId: string; readonly legacyId: string }> {
  const logId = logIdentity(backend, log);
  const legacyId = legacyLogIdentity(backend);
  const recorded = await checkpoints.loadLogId();
  if (recorded !== null && recorded !== logId && recorded !== legacyId) {
    throw new Error(
      `the database ${database.describe()} holds the results of another event log ` +
        `(${recorded}); this ${what}'s log is ${logId}. One database counts one log: run again with ` +
        'the data dir (or Kafka topic) of that log, or give this run a database of its own ' +
        '(--database-url, or a new --data-dir for an embedded one). Nothing was written.',
    );
  }
  return { logId, legacyId };
}
