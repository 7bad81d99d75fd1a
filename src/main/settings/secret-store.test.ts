import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../tests/support/temp-dir';
import { ValidationError } from '../../shared/validation-error';
import {
  EncryptedFileSecretStore,
  EnvSecretOverlay,
  MemorySecretStore,
  PlainFileSecretStore,
  SecretFileModeError,
  type SecretCipher,
} from './secret-store';

const tempDir = useTempDirs();
const posix = process.platform !== 'win32';
const NOW = new Date('2026-11-24T12:00:00.000Z');

/** AES-256-GCM with a random key: a stand-in for the OS's secret store. */
function aesCipher(key = randomBytes(32)): SecretCipher {
  return {
    kind: 'test-aes',
    warning: null,
    async encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    async decrypt(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

describe('EncryptedFileSecretStore', () => {
  it('round-trips secrets; the file (0600) holds only ciphertext', async () => {
    const dir = tempDir();
    const file = join(dir, 'secrets.json');
    const store = new EncryptedFileSecretStore(file, aesCipher());
    expect(await store.get('kafkaPassword')).toBeUndefined();
    await store.set('kafkaPassword', 'kafka-pässword-1');
    await store.set('postgresPassword', 'pg-secret-2');
    expect(await store.get('kafkaPassword')).toBe('kafka-pässword-1');
    expect(await store.get('postgresPassword')).toBe('pg-secret-2');

    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('kafka-pässword-1');
    expect(text).not.toContain('pg-secret-2');
    expect(text).not.toContain(Buffer.from('pg-secret-2').toString('base64'));
    expect(JSON.parse(text)).toMatchObject({ version: 1, cipher: 'test-aes' });
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['secrets.json']);
    expect(store.kind).toBe('test-aes');
    expect(store.problems).toEqual([]);

    await store.set('kafkaPassword', null);
    expect(await store.get('kafkaPassword')).toBeUndefined();
    expect(await store.get('postgresPassword')).toBe('pg-secret-2');
  });

  it('reads a secret it cannot decrypt as unset, and reports it until it is set again', async () => {
    const file = join(tempDir(), 'secrets.json');
    await new EncryptedFileSecretStore(file, aesCipher()).set('kafkaPassword', 'hunter2-long');
    const store = new EncryptedFileSecretStore(file, aesCipher()); // another key
    expect(await store.get('kafkaPassword')).toBeUndefined();
    expect(store.problems).toHaveLength(1);
    expect(store.problems[0]?.secret).toBe('kafkaPassword');
    expect(store.problems[0]?.message).toMatch(
      /^The stored Kafka password could not be decrypted .*: enter it again\.$/,
    );
    await store.set('kafkaPassword', 'new-password');
    expect(store.problems).toEqual([]);
    expect(await store.get('kafkaPassword')).toBe('new-password');
  });

  it('re-encrypts a secret when the cipher asks to', async () => {
    const file = join(tempDir(), 'secrets.json');
    const inner = aesCipher();
    let rotated = false;
    const cipher: SecretCipher = {
      ...inner,
      decrypt: async (data) => ({
        value: (await inner.decrypt(data as Buffer)) as string,
        reEncrypt: !rotated,
      }),
      encrypt: async (plain) => inner.encrypt(plain),
    };
    const store = new EncryptedFileSecretStore(file, cipher);
    await store.set('postgresPassword', 'pg-pass');
    const before = readFileSync(file, 'utf8');
    expect(await store.get('postgresPassword')).toBe('pg-pass');
    rotated = true;
    expect(readFileSync(file, 'utf8')).not.toBe(before);
    expect(await store.get('postgresPassword')).toBe('pg-pass');
  });

  it('moves a damaged file aside and reports it', async () => {
    const dir = tempDir();
    const file = join(dir, 'secrets.json');
    writeFileSync(file, 'not json', { mode: 0o600 });
    const store = new EncryptedFileSecretStore(file, aesCipher(), () => NOW);
    expect(await store.get('kafkaPassword')).toBeUndefined();
    expect(store.problems).toEqual([
      {
        secret: null,
        message: expect.stringContaining('secrets.json.corrupt-2026-11-24T12-00-00-000Z') as string,
      },
    ]);
    expect(readFileSync(`${file}.corrupt-2026-11-24T12-00-00-000Z`, 'utf8')).toBe('not json');
  });

  it('serialises concurrent writes', async () => {
    const file = join(tempDir(), 'secrets.json');
    const store = new EncryptedFileSecretStore(file, aesCipher());
    await Promise.all([
      store.set('kafkaPassword', 'k-1234'),
      store.set('postgresPassword', 'p-1234'),
    ]);
    expect(await store.get('kafkaPassword')).toBe('k-1234');
    expect(await store.get('postgresPassword')).toBe('p-1234');
  });
});

describe('PlainFileSecretStore', () => {
  it('round-trips secrets in a 0600 file and warns about it', async () => {
    const file = join(tempDir(), 'secrets.json');
    const store = new PlainFileSecretStore(file);
    expect(store.kind).toBe('file');
    expect(store.warning).toMatch(/only by its permissions/);
    expect(await store.get('kafkaPassword')).toBeUndefined();
    await store.set('kafkaPassword', 'kafka-pw');
    expect(await store.get('kafkaPassword')).toBe('kafka-pw');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ kafkaPassword: 'kafka-pw' });
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
    await store.set('kafkaPassword', null);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
  });

  it('says a hand-broken file is not JSON without quoting any of it (it holds passwords)', async () => {
    const file = join(tempDir(), 'secrets.json');
    writeFileSync(file, '{"kafkaPassword": "hunter2-very-secret" "postgresPassword": "x"}', {
      mode: 0o600,
    });
    const error = (await new PlainFileSecretStore(file)
      .get('kafkaPassword')
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/not valid JSON/);
    expect(`${error.message} ${String(error.cause)} ${error.stack}`).not.toMatch(/hunter2/);
  });

  it.skipIf(!posix)('refuses a file others can read, saying chmod 600', async () => {
    const file = join(tempDir(), 'secrets.json');
    writeFileSync(file, JSON.stringify({ kafkaPassword: 'x' }));
    chmodSync(file, 0o644);
    const store = new PlainFileSecretStore(file);
    const error = await store.get('kafkaPassword').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretFileModeError);
    expect((error as Error).message).toContain(`mode 0644): run chmod 600 ${file}`);
    await expect(store.set('kafkaPassword', 'y')).rejects.toThrow(/chmod 600/);
    chmodSync(file, 0o600);
    expect(await store.get('kafkaPassword')).toBe('x');
  });

  it('says how to fix a file that is not JSON', async () => {
    const file = join(tempDir(), 'secrets.json');
    writeFileSync(file, '{', { mode: 0o600 });
    await expect(new PlainFileSecretStore(file).get('kafkaPassword')).rejects.toThrow(
      /is not valid JSON/,
    );
  });
});

describe('EnvSecretOverlay', () => {
  it('lets the environment win, reports it, and refuses to overwrite it', async () => {
    const inner = new MemorySecretStore();
    await inner.set('kafkaPassword', 'stored-kafka');
    await inner.set('postgresPassword', 'stored-pg');
    const store = new EnvSecretOverlay(inner, { STREAMPULSE_KAFKA_PASSWORD: 'env-kafka' });
    expect(await store.get('kafkaPassword')).toBe('env-kafka');
    expect(await store.get('postgresPassword')).toBe('stored-pg');
    expect(store.overridden).toEqual(['kafkaPassword']);
    expect(store.sourceOf('kafkaPassword')).toBe('STREAMPULSE_KAFKA_PASSWORD');
    expect(store.sourceOf('postgresPassword')).toBeUndefined();
    const error = await store.set('kafkaPassword', 'new').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('secrets.kafkaPassword');
    expect((error as Error).message).toContain('comes from STREAMPULSE_KAFKA_PASSWORD');
    await store.set('postgresPassword', 'new-pg');
    expect(await inner.get('postgresPassword')).toBe('new-pg');
    expect(store.kind).toBe('memory');
  });

  it('reads _FILE variables (mode 0600), without the final newline', async () => {
    const dir = tempDir();
    const file = join(dir, 'pg-password');
    writeFileSync(file, 'from-file\n', { mode: 0o600 });
    const store = new EnvSecretOverlay(new MemorySecretStore(), {
      STREAMPULSE_POSTGRES_PASSWORD_FILE: file,
    });
    expect(await store.get('postgresPassword')).toBe('from-file');
    expect(store.overridden).toEqual(['postgresPassword']);
    expect(store.sourceOf('postgresPassword')).toBe('STREAMPULSE_POSTGRES_PASSWORD_FILE');
    await expect(store.set('postgresPassword', null)).rejects.toThrow(/_FILE/);
  });

  it.skipIf(!posix)('refuses a _FILE others can read', async () => {
    const file = join(tempDir(), 'kafka-password');
    writeFileSync(file, 'pw');
    chmodSync(file, 0o640);
    const store = new EnvSecretOverlay(new MemorySecretStore(), {
      STREAMPULSE_KAFKA_PASSWORD_FILE: file,
    });
    await expect(store.get('kafkaPassword')).rejects.toThrow(/run chmod 600/);
  });

  it('says when a _FILE is missing or empty', async () => {
    const dir = tempDir();
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n', { mode: 0o600 });
    const env = {
      STREAMPULSE_KAFKA_PASSWORD_FILE: join(dir, 'missing'),
      STREAMPULSE_POSTGRES_PASSWORD_FILE: empty,
    };
    const store = new EnvSecretOverlay(new MemorySecretStore(), env);
    await expect(store.get('kafkaPassword')).rejects.toThrow(/does not exist/);
    await expect(store.get('postgresPassword')).rejects.toThrow(/is empty/);
  });

  it('refuses both a variable and its _FILE, and ignores empty ones', () => {
    expect(
      () =>
        new EnvSecretOverlay(new MemorySecretStore(), {
          STREAMPULSE_KAFKA_PASSWORD: 'a',
          STREAMPULSE_KAFKA_PASSWORD_FILE: '/x',
        }),
    ).toThrow(/not both/);
    const store = new EnvSecretOverlay(new MemorySecretStore(), { STREAMPULSE_KAFKA_PASSWORD: '' });
    expect(store.overridden).toEqual([]);
  });

  it('hides the problems of overridden secrets', async () => {
    const file = join(tempDir(), 'secrets.json');
    await new EncryptedFileSecretStore(file, aesCipher()).set('kafkaPassword', 'old-one');
    const inner = new EncryptedFileSecretStore(file, aesCipher());
    await inner.get('kafkaPassword');
    expect(inner.problems).toHaveLength(1);
    const store = new EnvSecretOverlay(inner, { STREAMPULSE_KAFKA_PASSWORD: 'env' });
    expect(store.problems).toEqual([]);
  });
});
