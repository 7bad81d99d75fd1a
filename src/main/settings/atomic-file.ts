/**
 * Files the settings module writes (settings, secrets): replaced atomically (a temp file in the
 * same directory, fsync, rename, fsync of the directory), so a crash leaves the old file or the
 * new one, never half of one; and created with mode 0600 from the start.
 */
import { randomBytes } from 'node:crypto';
import { access, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;

export async function writeFileAtomic(
  file: string,
  data: string,
  mode = PRIVATE_FILE_MODE,
): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data, 'utf8');
    // The umask only takes bits away; chmod makes the mode exact.
    await handle.chmod(mode);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncDirectory(dir);
}

/** Makes a rename or create in `dir` durable; a no-op where directories cannot be opened (Windows). */
async function fsyncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EPERM on Windows, EINVAL on some file systems: nothing better to do.
  } finally {
    await handle?.close();
  }
}

/**
 * Moves a file that cannot be used out of the way, to `<file>.corrupt-<timestamp>` (never
 * deleted: it may hold what the user wants back). Returns the backup's path.
 */
export async function moveAside(file: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let n = 0; ; n++) {
    const backup = `${file}.corrupt-${stamp}${n === 0 ? '' : `-${n}`}`;
    if (await exists(backup)) continue;
    await rename(file, backup);
    await fsyncDirectory(dirname(file));
    return backup;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
