/**
 * The settings a running StreamPulse starts from, for both shells: the settings file of the data
 * dir (a corrupt one backed up and replaced by defaults, with a notice), overrides for this run
 * (headless: environment variables and flags), and the secrets. Turns them into the pipeline's
 * options and the settings page's service.
 */
import { existsSync } from 'node:fs';
import type { AppServicesOptions } from '../app-services';
import { logDirOf } from '../data-dir';
import type { LogBackend } from '../log/open-event-log';
import type { Logger } from '../logger';
import type { Pipeline } from '../pipeline';
import type { SecretName, Settings } from '../../shared/settings';
import type { SettingsPort } from '../api/handlers/handler-context';
import { applyOverrides, type SettingsOverrides } from './overrides';
import { databaseTargetOf, engineConfigOf, logBackendOf } from './runtime-config';
import type { SecretStore } from './secret-store';
import { loadSettings } from './settings-file';
import { SettingsService, type ConnectionTests } from './settings-service';

export interface AppSettingsOptions {
  readonly dataDir: string;
  readonly overrides: SettingsOverrides;
  /** Secrets for this run only (a password file given by flag), winning over the store. */
  readonly runSecrets?: { readonly [K in SecretName]?: string };
  readonly secrets: SecretStore & { readonly overridden?: readonly SecretName[] };
  readonly tests: ConnectionTests;
  readonly logger: Logger;
  readonly now: () => number;
}

export interface AppSettings {
  readonly effective: Settings;
  readonly notices: readonly string[];
  /** The AppServices options the settings decide. */
  readonly pipeline: Pick<
    AppServicesOptions,
    'log' | 'seed' | 'ratePerSecond' | 'databaseUrl' | 'databaseOptions' | 'engine' | 'settings'
  >;
}

export async function appSettings(options: AppSettingsOptions): Promise<AppSettings> {
  const { dataDir, secrets, logger } = options;
  const loaded = await loadSettings(dataDir);
  for (const notice of loaded.notices) logger.warn(notice);
  const applied = applyOverrides(loaded.settings, options.overrides);
  const overrideSecrets = { ...applied.secrets, ...options.runSecrets };
  const secret = async (name: SecretName) => overrideSecrets[name] ?? (await secrets.get(name));
  const effective = applied.settings;
  const database = databaseTargetOf(effective, dataDir, await secret('postgresPassword'));
  if (secrets.warning) logger.warn(secrets.warning);
  return {
    effective,
    notices: loaded.notices,
    pipeline: {
      log: keepExistingShape(logBackendOf(effective, dataDir, await secret('kafkaPassword'))),
      seed: effective.generator.seed ?? String(options.now()),
      ratePerSecond: effective.generator.ratePerSecond,
      databaseUrl: database.kind === 'url' ? database.url : undefined,
      databaseOptions: {
        poolMax: database.poolMax,
        ...(database.kind === 'url' && database.ca !== null ? { ca: database.ca } : {}),
      },
      engine: engineConfigOf(effective),
      settings: (pipeline: Pipeline): SettingsPort =>
        new SettingsService({
          dataDir,
          saved: loaded.settings,
          effective,
          overridden: applied.overridden,
          notices: loaded.notices,
          overrideSecrets,
          secrets,
          pipeline,
          tests: options.tests,
          logger,
        }),
    },
  };
}

/**
 * An embedded log that already exists keeps its partitions and partitioner (the settings shape a
 * new one), as `--partitions` always did: its events are already placed.
 */
function keepExistingShape(backend: LogBackend): LogBackend {
  if (backend.kind !== 'embedded' || !existsSync(logDirOf(backend.dataDir))) return backend;
  return { ...backend, partitions: undefined, partitioner: undefined };
}
