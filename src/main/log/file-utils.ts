/**
 * Small file helpers for the log's metadata (meta.json, committed group offsets): JSON written
 * atomically, so a crash leaves the old file or the new one, never half of one.
 */
import fs from 'node:fs';
import path from 'node:path';

/**
 * fsyncs a directory so a created, renamed or deleted entry in it survives a power cut.
 * Not possible on Windows (directories cannot be opened for it); there the entry is left to
 * the file system, which is the best Node can do.
 */
export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // EISDIR/EPERM on Windows, EINVAL on some file systems: nothing better to do.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes `value` as JSON to `file` via a temp file in the same directory, fsync and rename. */
export function writeJsonAtomic(file: string, value: unknown): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, `${JSON.stringify(value, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fsyncDirectory(path.dirname(file));
}

/** Parses a JSON file; undefined if it does not exist; a clear error if it is not JSON. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message})`, { cause: error });
  }
}
