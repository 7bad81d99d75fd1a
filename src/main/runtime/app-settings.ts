/**
 * The settings a running StreamPulse starts from, for both shells: the settings file of the data
 * dir (a corrupt one backed up and replaced by defaults, with a notice), overrides for this run
 * (headless: environment variables and flags), and the secrets. Turns them into the pipeline's
 * options and the settings page's service.
 */
import type { AppServicesOptions } from './app-services';
import type { Logger } from '../logger';
import type { Pipeline } from './pipeline';
import type { SecretName, Settings } from '../../shared/settings';
import { splitPasswordFromUrl } from '../../shared/postgres-url';
import type { SettingsPort } from '../api/handlers/handler-context';
import { keepExistingShape } from './log-shape';
import { applyOverrides, type SettingsOverrides } from '../settings/overrides';
import { databaseTargetOf, engineConfigOf, flinkSettingsOf, logBackendOf } from './runtime-config';
import type { SecretStore } from '../settings/secret-store';
import { loadSettings } from '../settings/settings-file';
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
  /** Say how the secrets are kept (default true; commands that set none leave it to serve). */
  readonly warnAboutSecretStorage?: boolean;
}

export interface AppSettings {
  readonly effective: Settings;
  readonly notices: readonly string[];
  /** The AppServices options the settings decide. */
  readonly pipeline: Pick<
    AppServicesOptions,
    'log' | 'seed' | 'ratePerSecond' | 'database' | 'engine' | 'engineKind' | 'flink' | 'settings'
  >;
}

export async function appSettings(options: AppSettingsOptions): Promise<AppSettings> {
  const { dataDir, secrets, logger } = options;
  const loaded = await loadSettings(dataDir);
  for (const notice of loaded.notices) logger.warn(notice);
  const applied = applyOverrides(loaded.settings, options.overrides);
  // A password written into settings.json's URL by hand: used, never shown, and moved to the
  // secret store at the next save.
  const inFile = splitPasswordFromUrl(applied.settings.postgres.url);
  if (inFile.password !== null) {
    logger.warn(
      'settings.json has a password in postgres.url: it is used, but belongs in the secret store; saving the settings moves it there',
    );
  }
  const overrideSecrets = {
    ...(inFile.password !== null ? { postgresPassword: inFile.password } : {}),
    ...applied.secrets,
    ...options.runSecrets,
  };
  const secret = async (name: SecretName) => overrideSecrets[name] ?? (await secrets.get(name));
  const effective: Settings = {
    ...applied.settings,
    postgres: { ...applied.settings.postgres, url: inFile.url },
  };
  const database = databaseTargetOf(effective, dataDir, await secret('postgresPassword'));
  if (secrets.warning && options.warnAboutSecretStorage !== false) logger.warn(secrets.warning);
  return {
    effective,
    notices: loaded.notices,
    pipeline: {
      log: keepExistingShape(
        logBackendOf(effective, dataDir, await secret('kafkaPassword')),
        applied.overridden,
      ),
      seed: effective.generator.seed ?? String(options.now()),
      ratePerSecond: effective.generator.ratePerSecond,
      database,
      engine: engineConfigOf(effective),
      engineKind: effective.engine.kind,
      flink: flinkSettingsOf(effective),
      settings: (pipeline: Pipeline): SettingsPort =>
        new SettingsService({
          dataDir,
          saved: loaded.settings,
          effective,
          overridden: applied.overridden,
          notices: loaded.notices,
          overrideSecrets,
          // Not settings.json's own URL password: that one is moved to the store, not overridden.
          overriddenSecrets: [
            ...(Object.keys(applied.secrets) as SecretName[]),
            ...(Object.keys(options.runSecrets ?? {}) as SecretName[]),
          ],
          ...(inFile.password !== null ? { movePostgresPassword: inFile.password } : {}),
          secrets,
          pipeline,
          tests: options.tests,
          logger,
        }),
    },
  };
}
