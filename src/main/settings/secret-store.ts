/**
 * Where the passwords live, apart from the settings: the app encrypts them with the OS's secret
 * store (Electron's safeStorage, through a SecretCipher); headless, a 0600 JSON file, which
 * environment variables can override. Secret values never appear in errors or problems.
 */
import { readFile, stat } from 'node:fs/promises';
import { SECRET_NAMES, type SecretName } from '../../shared/settings';
import { SECRETS } from '../../shared/settings/catalogue';
import { ValidationError } from '../../shared/validation-error';
import { moveAside, writeFileAtomic } from './atomic-file';

/** A stored secret that cannot be used (e.g. it no longer decrypts), for the settings page. */
export interface SecretProblem {
  /** null: the whole store (e.g. its file was unreadable). */
  readonly secret: SecretName | null;
  readonly message: string;
}

export interface SecretStore {
  /** Where secrets are kept, e.g. 'file' or 'keychain'. */
  readonly kind: string;
  /** Set when the store is weaker than a real OS secret store, saying what to do. */
  readonly warning: string | null;
  /** Secrets that are stored but cannot be read; cleared when they are set again. */
  readonly problems: readonly SecretProblem[];
  /** undefined: not set (or unreadable: see `problems`). */
  get(name: SecretName): Promise<string | undefined>;
  /** null removes it. */
  set(name: SecretName, value: string | null): Promise<void>;
}

export const SECRET_LABELS: Readonly<Record<SecretName, string>> = {
  kafkaPassword: 'Kafka password',
  postgresPassword: 'PostgreSQL password',
};

export const SECRETS_FILE_NAME = 'secrets.json';

/** What a cipher's decrypt may return: the text, or the text and whether to encrypt it again. */
export type Decrypted = string | { readonly value: string; readonly reEncrypt: boolean };

/** Encrypts secrets at rest (the app: Electron's safeStorage; tests: AES with a random key). */
export interface SecretCipher {
  readonly kind: string;
  readonly warning: string | null;
  encrypt(plain: string): Promise<Buffer>;
  /** Throws when `data` cannot be decrypted (another key, another machine, damaged). */
  decrypt(data: Buffer): Promise<Decrypted>;
}

interface EncryptedSecretsFile {
  readonly version: 1;
  /** The cipher's kind when it was written: a different one will not decrypt it. */
  readonly cipher: string;
  /** Base64 ciphertexts. */
  readonly secrets: Partial<Record<SecretName, string>>;
}

/** Secrets encrypted by `cipher`, as base64 in a 0600 JSON file (`<dataDir>/secrets.json`). */
export class EncryptedFileSecretStore implements SecretStore {
  private readonly issues = new Map<SecretName | null, string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get kind(): string {
    return this.cipher.kind;
  }

  get warning(): string | null {
    return this.cipher.warning;
  }

  get problems(): readonly SecretProblem[] {
    return [...this.issues].map(([secret, message]) => ({ secret, message }));
  }

  get(name: SecretName): Promise<string | undefined> {
    return this.serialized(async () => {
      const stored = (await this.read()).secrets[name];
      if (stored === undefined) {
        this.issues.delete(name);
        return undefined;
      }
      let decrypted: Decrypted;
      try {
        decrypted = await this.cipher.decrypt(Buffer.from(stored, 'base64'));
      } catch (error) {
        this.issues.set(
          name,
          `The stored ${SECRET_LABELS[name]} could not be decrypted (${errorText(error)}): enter it again.`,
        );
        return undefined;
      }
      this.issues.delete(name);
      if (typeof decrypted === 'string') return decrypted;
      if (decrypted.reEncrypt) {
        // The OS rotated its key: store it under the new one (best effort; the old still works).
        await this.write(name, decrypted.value).catch(() => undefined);
      }
      return decrypted.value;
    });
  }

  set(name: SecretName, value: string | null): Promise<void> {
    return this.serialized(async () => {
      await this.write(name, value);
      this.issues.delete(name);
    });
  }

  private async write(name: SecretName, value: string | null): Promise<void> {
    const current = await this.read();
    const secrets = { ...current.secrets };
    if (value === null) delete secrets[name];
    else secrets[name] = (await this.cipher.encrypt(value)).toString('base64');
    const next: EncryptedSecretsFile = { version: 1, cipher: this.cipher.kind, secrets };
    await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
  }

  /** The file's content; a file that cannot be parsed is moved aside (and reported) as empty. */
  private async read(): Promise<EncryptedSecretsFile> {
    const empty: EncryptedSecretsFile = { version: 1, cipher: this.cipher.kind, secrets: {} };
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return empty;
      throw new Error(`Cannot read the secrets file ${this.file}: ${errorText(error)}`, {
        cause: error,
      });
    }
    const parsed = parseSecretsFile(text);
    if (parsed) return parsed;
    const backup = await moveAside(this.file, this.now());
    this.issues.set(
      null,
      `The secrets file ${this.file} was damaged and was kept as ${backup}: enter the passwords again.`,
    );
    return empty;
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function parseSecretsFile(text: string): EncryptedSecretsFile | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const file = raw as Partial<EncryptedSecretsFile> | null;
  if (typeof file !== 'object' || file === null || typeof file.secrets !== 'object') {
    return undefined;
  }
  const secrets: Partial<Record<SecretName, string>> = {};
  for (const name of SECRET_NAMES) {
    const value = (file.secrets as Record<string, unknown> | null)?.[name];
    if (typeof value === 'string') secrets[name] = value;
  }
  return { version: 1, cipher: String(file.cipher ?? ''), secrets };
}

/** Thrown when a file holding secrets can be read by other users. */
export class SecretFileModeError extends Error {
  override readonly name = 'SecretFileModeError';
}

/**
 * Headless: secrets as plain text in a 0600 JSON file (`{"kafkaPassword": "..."}`). It refuses a
 * file that group or others can read.
 */
export class PlainFileSecretStore implements SecretStore {
  readonly kind = 'file';
  readonly warning: string;
  readonly problems: readonly SecretProblem[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.warning =
      `Secrets are stored unencrypted in ${file}, protected only by its permissions (0600): ` +
      'anyone who can read files as you, or as root, can read them.';
  }

  async get(name: SecretName): Promise<string | undefined> {
    await this.queue;
    return (await this.read())[name];
  }

  set(name: SecretName, value: string | null): Promise<void> {
    const run = this.queue.then(async () => {
      const secrets = await this.read();
      if (value === null) delete secrets[name];
      else secrets[name] = value;
      await writeFileAtomic(this.file, `${JSON.stringify(secrets, null, 2)}\n`);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<Partial<Record<SecretName, string>>> {
    const text = await readPrivateFile(this.file, this.platform);
    if (text === undefined) return {};
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      // Not the parser's message, nor the error as a cause: Node's quotes the text around the
      // fault, which here is a password.
      throw new Error(
        `The secrets file ${this.file} is not valid JSON: fix it (it holds {"kafkaPassword": "...", "postgresPassword": "..."}), or delete it and set the passwords again`,
      );
    }
    const secrets: Partial<Record<SecretName, string>> = {};
    for (const name of SECRET_NAMES) {
      const value = (raw as Record<string, unknown> | null)?.[name];
      if (typeof value === 'string') secrets[name] = value;
    }
    return secrets;
  }
}

/**
 * The text of a file holding a secret; undefined if it does not exist. Refuses (SecretFileModeError)
 * a file that group or others may read, except on Windows, which has no such mode bits.
 */
export async function readPrivateFile(
  file: string,
  platform: NodeJS.Platform = process.platform,
): Promise<string | undefined> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new SecretFileModeError(
      `${file} holds secrets but other users can read it (mode ${(mode & 0o777).toString(8).padStart(4, '0')}): run chmod 600 ${file}`,
    );
  }
  return readFile(file, 'utf8');
}

/**
 * Environment variables that set a secret (they win over the store): the value itself, or `_FILE`,
 * a file (mode 0600) holding it, as with Docker secrets.
 */
export const SECRET_ENV_VARS: Readonly<Record<SecretName, string>> = {
  kafkaPassword: SECRETS.kafkaPassword.env,
  postgresPassword: SECRETS.postgresPassword.env,
};

/**
 * A store whose secrets the environment may override: STREAMPULSE_KAFKA_PASSWORD(_FILE),
 * STREAMPULSE_POSTGRES_PASSWORD(_FILE). An overridden secret cannot be set here.
 */
export class EnvSecretOverlay implements SecretStore {
  private readonly sources = new Map<SecretName, { variable: string; file: boolean }>();

  constructor(
    private readonly inner: SecretStore,
    private readonly env: NodeJS.ProcessEnv,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    for (const name of SECRET_NAMES) {
      const variable = SECRET_ENV_VARS[name];
      const direct = Boolean(env[variable]);
      const file = Boolean(env[`${variable}_FILE`]);
      if (direct && file) {
        throw new ValidationError(variable, `set ${variable} or ${variable}_FILE, not both`);
      }
      if (direct) this.sources.set(name, { variable, file: false });
      if (file) this.sources.set(name, { variable: `${variable}_FILE`, file: true });
    }
  }

  get kind(): string {
    return this.inner.kind;
  }

  get warning(): string | null {
    return this.inner.warning;
  }

  get problems(): readonly SecretProblem[] {
    return this.inner.problems.filter((p) => p.secret === null || !this.sources.has(p.secret));
  }

  /** The secrets the environment sets. */
  get overridden(): readonly SecretName[] {
    return [...this.sources.keys()];
  }

  /** The variable that sets `name`, e.g. STREAMPULSE_KAFKA_PASSWORD_FILE; undefined if none. */
  sourceOf(name: SecretName): string | undefined {
    return this.sources.get(name)?.variable;
  }

  async get(name: SecretName): Promise<string | undefined> {
    const source = this.sources.get(name);
    if (!source) return this.inner.get(name);
    const value = this.env[source.variable] ?? '';
    if (!source.file) return value;
    const text = await readPrivateFile(value, this.platform);
    if (text === undefined) {
      throw new Error(`${source.variable} names ${value}, which does not exist`);
    }
    const secret = text.replace(/\r?\n$/, '');
    if (secret === '') throw new Error(`${source.variable} names ${value}, which is empty`);
    return secret;
  }

  async set(name: SecretName, value: string | null): Promise<void> {
    const source = this.sources.get(name);
    if (source) {
      throw new ValidationError(
        `secrets.${name}`,
        `the ${SECRET_LABELS[name]} comes from ${source.variable}: change it there, or unset ${source.variable} to set it here`,
      );
    }
    await this.inner.set(name, value);
  }
}

/** Secrets in memory only (tests, and a fallback when nothing can be stored). */
export class MemorySecretStore implements SecretStore {
  readonly problems: readonly SecretProblem[] = [];
  private readonly values = new Map<SecretName, string>();

  constructor(
    readonly kind = 'memory',
    readonly warning: string | null = 'Secrets are kept in memory only: they are lost on exit.',
  ) {}

  async get(name: SecretName): Promise<string | undefined> {
    return this.values.get(name);
  }

  async set(name: SecretName, value: string | null): Promise<void> {
    if (value === null) this.values.delete(name);
    else this.values.set(name, value);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
