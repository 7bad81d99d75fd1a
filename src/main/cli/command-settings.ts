/**
 * The settings every command runs on (serve, generate, run, events export), resolved one way:
 * flags win over environment variables, which win over the data dir's settings.json, which wins
 * over the defaults. Secrets: a password file given by flag, then STREAMPULSE_*_PASSWORD (or its
 * _FILE), then the data dir's 0600 secrets file.
 */
import { join, resolve } from 'node:path';
import { defaultDataDir } from '../data-dir';
import type { EngineKind, FlinkEngineSettings } from '../runtime/stream-engine';
import type { LogBackend } from '../log/open-event-log';
import type { EngineConfig } from '../engine/engine-config';
import type { Logger } from '../logger';
import { appSettings, type AppSettings } from '../runtime/app-settings';
import { connectionTests } from '../runtime/connection-tests';
import { mergeOverrides, settingsFromEnv } from '../settings/overrides';
import {
  EnvSecretOverlay,
  PlainFileSecretStore,
  SECRETS_FILE_NAME,
} from '../settings/secret-store';
import type { DatabaseTarget } from '../store/database-target';
import { fieldErrorsOf, ValidationError } from '../../shared/validation-error';
import type { CliIo } from './cli-io';
import {
  overridesFromFlags,
  passwordFromFile,
  settingsUsageError,
  type FlagValues,
} from './settings-flags';

export interface ResolvedSettings {
  readonly dataDir: string;
  readonly settings: AppSettings;
}

/** Reads the data dir's settings with this run's environment and flags over them. */
export async function resolveSettings(
  values: FlagValues & { readonly 'data-dir'?: string },
  io: CliIo,
  logger: Logger,
  options: { readonly warnAboutSecretStorage?: boolean } = {},
): Promise<ResolvedSettings> {
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir(io.env));
  const kafkaPasswordFile = passwordFromFile(values['kafka-password-file']);
  try {
    const overrides = mergeOverrides(settingsFromEnv(io.env), overridesFromFlags(values));
    const settings = await appSettings({
      dataDir,
      overrides,
      ...(kafkaPasswordFile !== undefined
        ? { runSecrets: { kafkaPassword: kafkaPasswordFile } }
        : {}),
      // Headless: secrets in a 0600 file of the data dir, or the environment, which wins.
      secrets: new EnvSecretOverlay(
        new PlainFileSecretStore(join(dataDir, SECRETS_FILE_NAME)),
        io.env,
      ),
      tests: connectionTests,
      logger,
      now: io.now,
      ...(options.warnAboutSecretStorage === false ? { warnAboutSecretStorage: false } : {}),
    });
    return { dataDir, settings };
  } catch (error) {
    // A bad flag, variable or settings field: exit 2, naming it.
    const errors = fieldErrorsOf(error);
    if (errors) throw settingsUsageError(errors);
    if (error instanceof ValidationError) {
      throw settingsUsageError([
        { field: error.field, message: error.message.replace(`${error.field}: `, '') },
      ]);
    }
    throw error;
  }
}

/** What a bounded command (generate, run, export) opens: the event log and the database. */
export interface CommandTargets {
  readonly dataDir: string;
  readonly backend: LogBackend;
  /**
   * The engine's settings: window size, lateness and alert rules (a drill's), and its timing (a
   * time-range export reads as far past the range as it allows).
   */
  readonly engine: EngineConfig;
  /** For openDatabase, without its logger. */
  readonly database: DatabaseTarget;
  /** Which engine windows the events, and the Flink cluster's settings (null: none set). */
  readonly engineKind: EngineKind;
  readonly flink: FlinkEngineSettings | null;
}

export async function commandTargets(
  values: FlagValues & { readonly 'data-dir'?: string },
  io: CliIo,
  logger: Logger,
): Promise<CommandTargets> {
  // The warning about plain-file secrets is serve's to give (it is where they are set).
  const { dataDir, settings } = await resolveSettings(values, io, logger, {
    warnAboutSecretStorage: false,
  });
  const { log, database, engine, engineKind, flink } = settings.pipeline;
  return {
    dataDir,
    backend: log,
    engine,
    database,
    engineKind: engineKind ?? 'builtin',
    flink: flink ?? null,
  };
}
