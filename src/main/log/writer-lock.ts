/**
 * The single-writer lock of a log: `writer.lock` holding the writer's pid. Two writers would
 * interleave batches and corrupt offsets, so a second writable open must fail loudly; a lock
 * left behind by a crashed process (its pid is gone) must not block the next start.
 *
 * Limits, accepted for a desktop app: liveness is `process.kill(pid, 0)` (a zombie counts as
 * dead, process-liveness.ts), so a stale lock whose pid was reused by an unrelated process
 * blocks until it is deleted by hand (the error says so); and two processes taking over the same
 * stale lock at the same instant could both win.
 */
import fs from 'node:fs';
import { isProcessAlive } from '../process-liveness';
import { LogLockedError, type LogWarningSink } from './log-errors';

/** Lock files held by open instances of this process: our own pid there is not stale. */
const heldByThisProcess = new Set<string>();

function readHolder(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates the lock file with the pid already in it: written to a temp file, then hard-linked
 * into place (link fails atomically if the lock exists), so no reader ever sees an empty lock.
 * Falls back to an exclusive create on file systems without hard links.
 */
function tryCreate(file: string): boolean {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${process.pid}\n`);
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return true;
    } catch (fallbackError) {
      if ((fallbackError as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallbackError;
    }
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

export class WriterLock {
  private released = false;

  private constructor(readonly file: string) {}

  /** Takes the lock at `file` or throws LogLockedError naming the holder and what to do. */
  static acquire(file: string, logger: LogWarningSink): WriterLock {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (tryCreate(file)) {
        heldByThisProcess.add(file);
        return new WriterLock(file);
      }
      const holder = readHolder(file);
      if (holder === process.pid && heldByThisProcess.has(file)) {
        throw new LogLockedError(
          `The event log at ${file.replace(/[\\/]writer\.lock$/, '')} is already open for ` +
            'writing in this process. Close the other instance first, or open this one read-only.',
        );
      }
      if (holder !== undefined && holder !== process.pid && isProcessAlive(holder)) {
        throw new LogLockedError(
          `The event log is being written by another process (pid ${holder}, lock ${file}). ` +
            'Only one writer at a time: stop it (e.g. a running `streampulse serve`), or open ' +
            'the log read-only. If no such process is running, delete the lock file.',
        );
      }
      logger.warn('Taking over a stale event-log writer lock', { file, stalePid: holder });
      fs.rmSync(file, { force: true });
    }
    throw new LogLockedError(
      `Could not take the event-log writer lock ${file}: it keeps changing.`,
    );
  }

  /** Removes the lock if it is still ours. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    heldByThisProcess.delete(this.file);
    if (readHolder(this.file) === process.pid) fs.rmSync(this.file, { force: true });
  }
}
