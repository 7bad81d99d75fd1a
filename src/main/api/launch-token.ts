/**
 * The per-launch API token: mutating routes need `Authorization: Bearer <token>`. It is written to
 * `<dataDir>/api-token` (mode 0600) for the CLI and scripts of the same user, and put in the
 * dashboard's page for the same-origin dashboard. A new one at every launch.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const TOKEN_FILE_NAME = 'api-token';

/** 32 random bytes, base64url (43 characters). */
export function createLaunchToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenFilePath(dataDir: string): string {
  return join(dataDir, TOKEN_FILE_NAME);
}

/**
 * Writes `token` to `<dataDir>/api-token`, readable by the owner only (0600), creating the dir
 * (0700) if needed. Atomic: a temp file in the same dir, then a rename over the old one, so a
 * reader never sees half a token; the mode is set again after the rename. Returns the path.
 */
export async function writeTokenFile(dataDir: string, token: string): Promise<string> {
  if (!/^[A-Za-z0-9_-]{16,}$/.test(token)) throw new Error('the API token must be base64url');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = tokenFilePath(dataDir);
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const file = await open(temp, 'wx', 0o600);
    try {
      await file.chmod(0o600); // the umask may have narrowed it, never widened; be explicit
      await file.writeFile(`${token}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await chmod(path, 0o600);
  return path;
}

/** The token in `<dataDir>/api-token`; throws if absent or empty. */
export async function readTokenFile(dataDir: string): Promise<string> {
  const path = tokenFilePath(dataDir);
  const token = (await readFile(path, 'utf8')).trim();
  if (!token) throw new Error(`${path} is empty`);
  return token;
}
