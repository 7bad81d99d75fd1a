/**
 * The settings as the running app sees them: what the settings page reads (secrets only as
 * set / not set), saving (validate, apply, persist) and the connection tests. Applying a changed
 * event log or database switches it while running (drain, checkpoint, switch); what cannot change
 * while running (the window size, the seed) is saved and listed as pending a restart.
 */
import type { SettingsPort } from '../api/handlers/handler-context';
import type { LogBackend } from '../log/open-event-log';
import type { Logger } from '../logger';
import type { DatabaseTarget } from '../store/database-target';
import type { GeneratorCommand, GeneratorReply } from '../protocol/commands';
import {
  SECRET_NAMES,
  type ConnectionTestResult,
  type SecretName,
  type Settings,
  type SettingsUpdate,
  type SettingsView,
} from '../../shared/settings';
import { restartOnlyPaths, validateSettings } from '../../shared/settings/schema';
import { splitPasswordFromUrl } from '../../shared/postgres-url';
import { FieldsValidationError } from '../../shared/validation-error';
import { keepExistingShape } from './log-shape';
import { changedSettings, databaseTargetOf, flinkSettingsOf, logBackendOf } from './runtime-config';
import type { EngineKind, FlinkEngineSettings } from './stream-engine';
import type { SecretStore } from '../settings/secret-store';
import { saveSettings, writeSettings } from '../settings/settings-file';

/** What the service needs of the running pipeline. */
export interface SettingsPipeline {
  switchLog(backend: LogBackend): Promise<void>;
  switchDatabase(target: DatabaseTarget): Promise<void>;
  switchEngine(kind: EngineKind, flink: FlinkEngineSettings | null): Promise<void>;
  control<C extends GeneratorCommand>(command: C): Promise<GeneratorReply<C>>;
}

export interface ConnectionTests {
  kafka(settings: Settings, kafkaPassword: string | undefined): Promise<ConnectionTestResult>;
  postgres(settings: Settings, postgresPassword: string | undefined): Promise<ConnectionTestResult>;
}

export interface SettingsServiceOptions {
  readonly dataDir: string;
  /** The settings file's content (what is saved). */
  readonly saved: Settings;
  /** What runs now: the saved settings with environment and flag overrides applied. */
  readonly effective: Settings;
  /** Dotted paths the overrides set: shown read-only, never saved. */
  readonly overridden: readonly string[];
  /** E.g. that a corrupt settings file was backed up and replaced by defaults. */
  readonly notices: readonly string[];
  /** Secrets the overrides gave (a password inside DATABASE_URL): they win over the store. */
  readonly overrideSecrets?: { readonly [K in SecretName]?: string };
  /**
   * Which of those this run's flags or variables set (DATABASE_URL's password,
   * --kafka-password-file): shown as overridden and not saved, as the store's own variables are.
   */
  readonly overriddenSecrets?: readonly SecretName[];
  /** A password found in settings.json's URL: moved to the secret store at the first save. */
  readonly movePostgresPassword?: string;
  readonly secrets: SecretStore & { readonly overridden?: readonly SecretName[] };
  readonly pipeline: SettingsPipeline;
  readonly tests: ConnectionTests;
  readonly logger: Logger;
}

/** Settings that only take effect at the next start (the catalogue's restart-only fields). */
const RESTART_ONLY = restartOnlyPaths();

export class SettingsService implements SettingsPort {
  private readonly options: SettingsServiceOptions;
  private saved: Settings;
  private effective: Settings;
  private readonly pendingRestart = new Set<string>();
  private updating: Promise<unknown> = Promise.resolve();

  constructor(options: SettingsServiceOptions) {
    this.options = options;
    this.saved = options.saved;
    this.effective = options.effective;
  }

  /** The settings in use, with overrides; of each secret only whether it is set. */
  async view(): Promise<SettingsView> {
    const { secrets } = this.options;
    const set = async (name: SecretName) => ({ set: (await this.secret(name)) !== undefined });
    const problems = secrets.problems.map((p) => p.message);
    return {
      settings: this.effective,
      secrets: {
        kafkaPassword: await set('kafkaPassword'),
        postgresPassword: await set('postgresPassword'),
      },
      secretStore: { kind: secrets.kind, warning: secrets.warning },
      overridden: [
        ...this.options.overridden,
        ...this.overriddenSecrets().map((name) => `secrets.${name}`),
      ],
      notices: [...this.options.notices, ...problems],
      pendingRestart: [...this.pendingRestart],
    };
  }

  /**
   * Validates, applies (switching the log or the database if they changed) and saves. Nothing is
   * saved if applying fails: the error names the section's field, and the old settings stay.
   */
  update(update: SettingsUpdate): Promise<SettingsView> {
    const run = this.updating.catch(() => undefined).then(() => this.apply(update));
    this.updating = run;
    return run;
  }

  async testKafka(
    settings: Settings,
    secrets: SettingsUpdate['secrets'],
  ): Promise<ConnectionTestResult> {
    const valid = this.validated(settings, ['log']);
    return this.options.tests.kafka(valid, await this.secretFor('kafkaPassword', secrets));
  }

  async testPostgres(
    settings: Settings,
    secrets: SettingsUpdate['secrets'],
  ): Promise<ConnectionTestResult> {
    const valid = this.validated(settings, ['postgres']);
    const { password } = splitPasswordFromUrl(valid.postgres.url);
    return this.options.tests.postgres(
      valid,
      password ?? (await this.secretFor('postgresPassword', secrets)),
    );
  }

  private async apply(update: SettingsUpdate): Promise<SettingsView> {
    const requested = this.validated(update.settings);
    this.refuseOverridden(requested, update.secrets);
    // A password typed into the URL goes to the secret store, not the settings file.
    const { url, password: urlPassword } = splitPasswordFromUrl(requested.postgres.url);
    const next: Settings = { ...requested, postgres: { ...requested.postgres, url } };
    const secretChanges: { [K in SecretName]?: string | null } = { ...update.secrets };
    if (urlPassword !== null) secretChanges.postgresPassword = urlPassword;
    if (this.options.movePostgresPassword !== undefined && !('postgresPassword' in secretChanges))
      secretChanges.postgresPassword = this.options.movePostgresPassword;

    const before = this.effective;
    const changed = changedSettings(before, next);
    // A Kafka topic keeps its partitions (the log refuses a mismatch, and would at the next
    // start): another count needs another topic.
    if (
      next.log.backend === 'kafka' &&
      changed.includes('log.partitions') &&
      next.log.kafka.topic === before.log.kafka.topic
    ) {
      throw new FieldsValidationError([
        {
          field: 'log.partitions',
          message: `topic "${next.log.kafka.topic}" keeps its partitions: give a new topic name for another count`,
        },
      ]);
    }
    const { dataDir, pipeline, logger, secrets } = this.options;
    const databaseBefore = databaseTargetOf(before, dataDir, await this.secret('postgresPassword'));

    // Secrets first: switching needs them, and a store that cannot keep them (no keyring) must
    // fail before anything switches. Each is put back if what needs it is not applied.
    const previousSecrets: { [K in SecretName]?: string | null } = {};
    for (const name of SECRET_NAMES) {
      const value = secretChanges[name];
      if (value === undefined) continue;
      previousSecrets[name] = (await secrets.get(name)) ?? null;
      await secrets.set(name, value);
    }
    const restoreSecrets = async (...names: SecretName[]): Promise<void> => {
      for (const name of names) {
        const value = previousSecrets[name];
        if (value !== undefined) await secrets.set(name, value);
      }
    };

    // The log: the pipeline switches if the log, or how to reach it, changed (new credentials
    // reconnect); an existing embedded log keeps its shape.
    const logChanged =
      changed.some((path) => path === 'log.backend' || path.startsWith('log.kafka')) ||
      (next.log.backend === 'kafka' && 'kafkaPassword' in secretChanges);
    if (logChanged) {
      const backend = keepExistingShape(
        logBackendOf(next, dataDir, await this.secret('kafkaPassword')),
        this.options.overridden,
      );
      try {
        await this.applying('log.kafka.brokers', () => pipeline.switchLog(backend));
      } catch (error) {
        await restoreSecrets(...SECRET_NAMES);
        throw error;
      }
    }

    // The database: only when where it is, or how to reach it, changed.
    const target = databaseTargetOf(next, dataDir, await this.secret('postgresPassword'));
    if (JSON.stringify(target) !== JSON.stringify(databaseBefore)) {
      try {
        await this.applying('postgres.url', () => pipeline.switchDatabase(target));
      } catch (error) {
        await restoreSecrets('postgresPassword');
        // What was applied (the log) is saved, so the file says what runs.
        if (logChanged) await this.save({ ...next, postgres: before.postgres });
        throw error;
      }
    }

    // The engine: switched live (the running one stops without losing anything, see Pipeline).
    if (changed.some((path) => path === 'engine.kind' || path.startsWith('engine.flink'))) {
      try {
        await this.applying('engine.kind', () =>
          pipeline.switchEngine(next.engine.kind, flinkSettingsOf(next)),
        );
      } catch (error) {
        await this.save({ ...next, engine: before.engine });
        throw error;
      }
    }

    if (next.generator.ratePerSecond !== before.generator.ratePerSecond) {
      await pipeline.control({ kind: 'setRate', ratePerSecond: next.generator.ratePerSecond });
    }
    if (JSON.stringify(next.generator.outcomeMix) !== JSON.stringify(before.generator.outcomeMix)) {
      await pipeline.control({ kind: 'setOutcomeMix', mix: next.generator.outcomeMix });
    }
    for (const path of changed) {
      const restart = RESTART_ONLY.find((p) => path === p || path.startsWith(`${p}.`));
      if (restart) this.pendingRestart.add(restart);
    }
    await this.save(next);
    logger.info('settings saved', { changed });
    return this.view();
  }

  /**
   * Saves validated settings as they are; only when overrides put the file's own values back into
   * them is the mix validated again (it is another document).
   */
  private async save(settings: Settings): Promise<void> {
    const { dataDir, overridden } = this.options;
    this.saved =
      overridden.length === 0
        ? await writeSettings(dataDir, settings)
        : await saveSettings(dataDir, this.withoutOverrides(settings));
    this.effective = settings;
  }

  /** Runs a switch; its failure becomes an error on the field that names the connection. */
  private async applying(field: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new FieldsValidationError([
        { field, message: `not applied, the current one is kept: ${message}` },
      ]);
    }
  }

  /** `settings` validated, or a FieldsValidationError with every field at fault (in `sections`). */
  private validated(settings: unknown, sections?: readonly string[]): Settings {
    const result = validateSettings(settings);
    if (result.ok) return result.settings;
    const errors = sections
      ? result.errors.filter((e) => sections.some((s) => e.field.startsWith(s)))
      : result.errors;
    if (errors.length === 0) return settings as Settings;
    throw new FieldsValidationError(errors);
  }

  /** An overridden setting can only be changed where it is set (an environment variable, a flag). */
  private refuseOverridden(next: Settings, secrets: SettingsUpdate['secrets']): void {
    const errors: Array<{ field: string; message: string }> = [];
    for (const path of this.options.overridden) {
      if (JSON.stringify(valueAt(next, path)) !== JSON.stringify(valueAt(this.effective, path))) {
        errors.push({ field: path, message: OVERRIDDEN_MESSAGE });
      }
    }
    for (const name of this.overriddenSecrets()) {
      if (secrets?.[name] !== undefined)
        errors.push({ field: `secrets.${name}`, message: OVERRIDDEN_MESSAGE });
    }
    if (errors.length > 0) throw new FieldsValidationError(errors);
  }

  /** Secrets set where they run (the environment, a flag), not on this page. */
  private overriddenSecrets(): SecretName[] {
    return [
      ...new Set([
        ...(this.options.secrets.overridden ?? []),
        ...(this.options.overriddenSecrets ?? []),
      ]),
    ];
  }

  /** What is saved: overridden paths keep the file's value (overrides last one run only). */
  private withoutOverrides(next: Settings): Settings {
    let result = next as unknown;
    for (const path of this.options.overridden) {
      result = withValueAt(result, path, valueAt(this.saved, path));
    }
    return result as Settings;
  }

  private async secret(name: SecretName): Promise<string | undefined> {
    return this.options.overrideSecrets?.[name] ?? (await this.options.secrets.get(name));
  }

  /** The secret to use: a typed one (null: none), else the stored one. */
  private async secretFor(
    name: SecretName,
    typed: SettingsUpdate['secrets'],
  ): Promise<string | undefined> {
    const value = typed?.[name];
    if (value === null) return undefined;
    return value ?? (await this.secret(name));
  }
}

const OVERRIDDEN_MESSAGE =
  'is set by an environment variable or command-line flag for this run; change it there';

function valueAt(root: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) =>
        node !== null && typeof node === 'object'
          ? (node as Record<string, unknown>)[key]
          : undefined,
      root,
    );
}

function withValueAt(root: unknown, path: string, value: unknown): unknown {
  const [key, ...rest] = path.split('.');
  const node = (root ?? {}) as Record<string, unknown>;
  return {
    ...node,
    [key!]: rest.length === 0 ? value : withValueAt(node[key!], rest.join('.'), value),
  };
}
