import { describe, expect, it } from 'vitest';
import { safeStorageCipher, type SafeStorageApi } from '../electron/safe-storage-cipher';

/** A stand-in for Electron's safeStorage (reversible, not secure). */
function fakeSafeStorage(
  available: boolean,
  backend: ReturnType<SafeStorageApi['getSelectedStorageBackend']> = 'gnome_libsecret',
  shouldReEncrypt = false,
): SafeStorageApi {
  return {
    isAsyncEncryptionAvailable: async () => available,
    getSelectedStorageBackend: () => backend,
    encryptStringAsync: async (plain) => Buffer.from(`enc:${plain}`),
    decryptStringAsync: async (data) => ({
      result: data.toString().replace(/^enc:/, ''),
      shouldReEncrypt,
    }),
  };
}

describe('safeStorageCipher', () => {
  it('round-trips through safeStorage with no warning on a keyring', async () => {
    const cipher = await safeStorageCipher(fakeSafeStorage(true), 'linux');
    expect(cipher.kind).toBe('gnome_libsecret');
    expect(cipher.warning).toBeNull();
    const data = await cipher.encrypt('pw');
    expect(await cipher.decrypt(data)).toEqual({ value: 'pw', reEncrypt: false });
  });

  it('warns on Linux without a keyring (basic_text)', async () => {
    const cipher = await safeStorageCipher(fakeSafeStorage(true, 'basic_text'), 'linux');
    expect(cipher.warning).toMatch(/obfuscated, not encrypted: install and unlock a keyring/);
  });

  it('warns, and refuses to encrypt, when encryption is unavailable', async () => {
    const cipher = await safeStorageCipher(fakeSafeStorage(false), 'linux');
    expect(cipher.warning).toMatch(/not available/);
    await expect(cipher.encrypt('pw')).rejects.toThrow(/not available/);
  });

  it('names the macOS and Windows stores and passes shouldReEncrypt on', async () => {
    expect((await safeStorageCipher(fakeSafeStorage(true), 'darwin')).kind).toBe('keychain');
    const windows = await safeStorageCipher(fakeSafeStorage(true, 'unknown', true), 'win32');
    expect(windows.kind).toBe('dpapi');
    expect(await windows.decrypt(Buffer.from('enc:x'))).toEqual({ value: 'x', reEncrypt: true });
  });
});
