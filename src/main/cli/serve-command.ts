/** `streampulse serve`: the whole pipeline and the local dashboard, headless, until stopped. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AppServices } from '../runtime/app-services';
import { MAX_RATE, MIN_RATE } from '../generator/rate-pacer';
import { createLogger } from '../logger';
import type { Pipeline } from '../runtime/pipeline';
import { EXIT_OK, UsageError, type CliIo } from './cli-io';
import {
  addFlags,
  valuesOf,
  type CliCommand,
  type FlagTable,
  type FlagValuesOf,
} from './cli-options';
import { DATABASE_OPTIONS } from './database-options';
import { ENGINE_OPTIONS, requireEngineFits } from './engine-options';
import { formatCount } from './format';
import { LATE_DELIVERY_OPTIONS, lateDeliveryFrom } from './generation-options';
import { LOG_OPTIONS } from './log-options';
import { parseInteger, parseNumber } from './option-parsers';
import { resolveSettings } from './command-settings';
import { settingFlag } from './settings-flags';

export const DEFAULT_PORT = 7420;

const SERVE_OPTIONS = {
  rate: settingFlag('rate', {
    value: 'R',
    description: `events per second, ${MIN_RATE} to ${formatCount(MAX_RATE)}`,
  }),
  seed: settingFlag('seed', {
    value: 'S',
    description: 'seed of the catalog and the events',
    defaultText: 'a new one each run',
  }),
  ...LATE_DELIVERY_OPTIONS,
  port: {
    value: 'P',
    description: 'HTTP port; if taken, the next free one (0: any)',
    default: DEFAULT_PORT,
    parse: (raw) => parseInteger('port', raw, 0, 65535),
  },
  window: settingFlag('window', {
    value: 'D',
    description: 'window size, e.g. 60s, 10s, 1s',
  }),
  'status-every': {
    value: 'S',
    description: 'print a status line every S seconds, 0: never',
    default: 10,
    parse: (raw) => parseNumber('status-every', raw, 0, 86400),
  },
  scenarios: {
    value: 'DIR',
    description: 'the drill scenarios the dashboard offers',
    defaultText: "the project's scenarios/ folder",
  },
  ...DATABASE_OPTIONS,
  ...ENGINE_OPTIONS,
  ...LOG_OPTIONS,
} as const satisfies FlagTable;

function defineServe(command: Command): Command {
  return addFlags(
    command.summary('run the pipeline and serve the dashboard on 127.0.0.1 (headless)').description(
      `Runs the pipeline (generator → event log → windowing and alert engine → PostgreSQL) and serves
the dashboard on 127.0.0.1 until stopped with Ctrl-C, which drains the engine and checkpoints.

Settings come from <data dir>/settings.json (the dashboard's settings page writes it); the defaults
below are those of a new one. For one run, the flags below and their environment variables
override it (and are not saved). Secrets come from STREAMPULSE_KAFKA_PASSWORD,
STREAMPULSE_POSTGRES_PASSWORD (or their _FILE variants, mode 0600), else <data dir>/secrets.json
(mode 0600, written by the settings page).`,
    ),
    SERVE_OPTIONS,
  );
}

export const serve: CliCommand = {
  define: defineServe,
  run: (command, io) => serveCommand(valuesOf(command, SERVE_OPTIONS), io),
};

export async function serveCommand(
  values: FlagValuesOf<typeof SERVE_OPTIONS>,
  io: CliIo,
): Promise<number> {
  const port = values.port ?? DEFAULT_PORT;
  if (
    values.scenarios !== undefined &&
    !statSync(values.scenarios, { throwIfNoEntry: false })?.isDirectory()
  )
    throw new UsageError(
      `--scenarios must be a directory of scenario files, got "${values.scenarios}"`,
    );
  const late = lateDeliveryFrom(values);
  const statusEverySeconds = values['status-every'] ?? 10;
  const logger = createLogger({
    write: io.err,
    component: 'serve',
    now: io.now,
    format: io.errIsTerminal ? 'pretty' : 'json',
    color: io.errIsTerminal,
  });
  const { dataDir, settings } = await resolveSettings(values, io, logger);
  const { pipeline: fromSettings, effective } = settings;
  requireEngineFits(fromSettings.engineKind, fromSettings.log);
  const rate = effective.generator.ratePerSecond;
  const seed = fromSettings.seed;

  const app = new AppServices({
    dataDir,
    ...fromSettings,
    late,
    workersDir: io.workersDir,
    dashboardDir: io.dashboardDir,
    port,
    logger,
    now: io.now,
    ...(values.scenarios !== undefined ? { scenariosDir: resolve(values.scenarios) } : {}),
  });
  let statusTimer: NodeJS.Timeout | undefined;
  try {
    await app.start();
    const { database } = app.pipeline.status();
    await io.out(`StreamPulse is running headless: dashboard at ${app.url}\n`);
    await io.out(
      `data dir ${dataDir}; database ${database}; ${formatCount(rate)} events/s, seed ${seed}. ` +
        `API docs at ${app.url}docs. Ctrl-C stops.\n`,
    );
    if (statusEverySeconds > 0) {
      statusTimer = setInterval(
        () => void io.out(statusLine(app.pipeline)),
        statusEverySeconds * 1000,
      );
    }
    await io.stopSignal;
    await io.out(
      app.pipeline.engineKind === 'flink'
        ? 'stopping: the Flink job stops with a savepoint…\n'
        : 'stopping: draining the engine and writing a checkpoint…\n',
    );
  } finally {
    clearInterval(statusTimer);
    await app.stop();
  }
  return EXIT_OK;
}

function statusLine(pipeline: Pipeline): string {
  const { generator, engine, flink } = pipeline.status();
  const produced = generator
    ? `${formatCount(Math.round(generator.generator.eventsPerSecond))} events/s, ${formatCount(generator.generator.produced)} produced`
    : 'generator starting';
  const consumed = engine
    ? `${formatCount(engine.consumed)} consumed, lag ${formatCount(engine.lag.reduce((a, b) => a + b, 0))}, ` +
      `${formatCount(engine.checkpoints)} checkpoints, ${formatCount(engine.engine.lateEvents)} late, ${formatCount(engine.deadLetters)} dead letters`
    : flink
      ? `Flink job ${flink.state}${flink.message ? ` (${flink.message})` : ''}, ` +
        `${formatCount(flink.restarts)} restarts, ${formatCount(flink.checkpoints.completed)} checkpoints`
      : 'engine starting';
  return `${produced}; ${consumed}\n`;
}
