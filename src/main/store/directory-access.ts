/**
 * As root, the cluster runs as the `postgres` OS user (postgres refuses to run as root), which
 * must be able to traverse every directory above its cluster. Home and temp dirs are often 0700
 * (/root, anything from mkdtemp), so we add the execute bit for others — traverse only: it does
 * not let anyone list those directories — and say exactly what we changed.
 */
import fs from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger } from '../logger';

const OTHERS_EXECUTE = 0o001;

/** Adds o+x to `dir` and its ancestors that lack it; returns the directories changed. */
export function makeTraversableByOthers(dir: string, logger: Logger): string[] {
  const changed: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    const mode = fs.statSync(current).mode & 0o7777;
    if ((mode & OTHERS_EXECUTE) === 0) {
      fs.chmodSync(current, mode | OTHERS_EXECUTE);
      changed.push(`${current} (${octal(mode)} -> ${octal(mode | OTHERS_EXECUTE)})`);
    }
    if (dirname(current) === current) break;
  }
  if (changed.length > 0) {
    logger.warn(
      'running as root: added the execute bit for others (o+x: traverse, not read) so the ' +
        'postgres OS user can reach the embedded database',
      { directories: changed },
    );
  }
  return changed;
}

function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}
