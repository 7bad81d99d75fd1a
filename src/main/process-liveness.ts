/**
 * Whether a process is alive, for locks and pid files: `kill(pid, 0)` alone counts a zombie (an
 * exited process its parent has not reaped, e.g. a crashed writer under a supervisor that has not
 * collected it yet) as alive, which would keep a stale lock held forever. On Linux the process's
 * state in /proc tells a zombie from a live one.
 */
import fs from 'node:fs';

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = procStat(pid)?.state;
  return state !== 'Z' && state !== 'X';
}

/** The state letter and parent pid of `pid` from /proc (Linux); undefined elsewhere or if gone. */
export function procStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so cut at the last ')'.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return state === undefined ? undefined : { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}
