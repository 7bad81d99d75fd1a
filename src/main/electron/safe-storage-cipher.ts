/**
 * The app's SecretCipher: Electron's safeStorage (async API), i.e. the macOS Keychain, Windows
 * DPAPI, or on Linux the keyring (GNOME Keyring/libsecret, KWallet). Call after the app is ready;
 * the caller passes `safeStorage` from 'electron', so this module has no runtime Electron import.
 */
import type { SafeStorage } from 'electron';
import type { SecretCipher } from '../settings/secret-store';

export type SafeStorageApi = Pick<
  SafeStorage,
  | 'isAsyncEncryptionAvailable'
  | 'encryptStringAsync'
  | 'decryptStringAsync'
  | 'getSelectedStorageBackend'
>;

export async function safeStorageCipher(
  safeStorage: SafeStorageApi,
  platform: NodeJS.Platform = process.platform,
): Promise<SecretCipher> {
  const available = await safeStorage.isAsyncEncryptionAvailable();
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
  let warning: string | null = null;
  if (!available) {
    warning =
      'The OS secret store is not available, so passwords cannot be saved: on Linux, install and unlock a keyring (GNOME Keyring or KWallet).';
  } else if (backend === 'basic_text') {
    warning =
      'Secrets are stored obfuscated, not encrypted: install and unlock a keyring (GNOME Keyring or KWallet), then restart StreamPulse.';
  }
  return {
    kind:
      platform === 'darwin' ? 'keychain' : platform === 'win32' ? 'dpapi' : (backend ?? platform),
    warning,
    async encrypt(plain) {
      if (!available) throw new Error(warning ?? 'encryption is not available');
      return safeStorage.encryptStringAsync(plain);
    },
    async decrypt(data) {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(data);
      return { value: result, reEncrypt: shouldReEncrypt };
    },
  };
}
