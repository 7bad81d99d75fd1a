import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../tests/support/temp-dir';
import { createLaunchToken, readTokenFile, tokenFilePath, writeTokenFile } from './launch-token';

const tempDir = useTempDirs();
const posix = process.platform !== 'win32';

describe('launch token', () => {
  it('is 32 random bytes in base64url, new each time', () => {
    const a = createLaunchToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(createLaunchToken()).not.toBe(a);
  });

  it('is written with mode 0600 in a new dir, and reads back', async () => {
    const dir = join(tempDir(), 'data', 'nested');
    const token = createLaunchToken();
    const path = await writeTokenFile(dir, token);
    expect(path).toBe(tokenFilePath(dir));
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await readTokenFile(dir)).toBe(token);
    expect(readdirSync(dir)).toEqual(['api-token']); // no temp file left behind
  });

  it('replaces an existing file and tightens its mode', async () => {
    const dir = tempDir();
    writeFileSync(tokenFilePath(dir), 'old-token');
    chmodSync(tokenFilePath(dir), 0o644);
    const token = createLaunchToken();
    await writeTokenFile(dir, token);
    if (posix) expect(statSync(tokenFilePath(dir)).mode & 0o777).toBe(0o600);
    expect(await readTokenFile(dir)).toBe(token);
  });

  it('refuses to write something that is not a token, and to read an empty file', async () => {
    const dir = tempDir();
    await expect(writeTokenFile(dir, 'a b\n')).rejects.toThrow(/base64url/);
    writeFileSync(tokenFilePath(dir), '\n');
    await expect(readTokenFile(dir)).rejects.toThrow(/empty/);
  });
});
