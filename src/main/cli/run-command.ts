/**
 * `streampulse run`: a bounded, deterministic run in virtual time. Generates N events into the log
 * (resuming, not duplicating, if the same run was interrupted), drains the log through the engine
 * into Postgres, finalizes every window and prints a one-line summary.
 */
import type { Command } from 'commander';
import { DEFAULT_GROUP_ID, EngineRunner } from '../runtime/engine-runner';
import { engineConfig } from '../engine/engine-config';
import { DownloadEventGenerator } from '../generator/download-event-generator';
import { EventProducer } from '../generator/event-producer';
import { alreadyAppended, RunManifestStore } from '../generator/run-manifest';
import { createLogger } from '../logger';
import { CheckpointStore } from '../store/checkpoint-store';
import { EXIT_OK, type CliIo } from './cli-io';
import { openEventLog } from '../log/open-event-log';
import { requireSameLog } from './log-guard';
import { abortOn, InterruptedError } from './interrupt';
import { openDatabase } from '../store/database';
import { commandTargets } from './command-settings';
import { DATABASE_OPTIONS } from './database-options';
import { runOnFlink } from './run-on-flink';
import { ENGINE_OPTIONS, requireEngineFits } from './engine-options';
import { accountForRun, formatRunSummary, runRanges } from './run-summary';
import { windowStartOf } from '../engine/windows';
import {
  GENERATION_OPTIONS,
  generationSettingsFrom,
  generatorOptionsOf,
} from './generation-options';
import { LOG_OPTIONS } from './log-options';
import {
  addFlags,
  valuesOf,
  type CliCommand,
  type FlagTable,
  type FlagValuesOf,
} from './cli-options';
import { parseDuration } from './option-parsers';
import { WINDOW_SIZE_LIMITS } from '../../shared/settings/limits';

const RUN_OPTIONS = {
  ...GENERATION_OPTIONS,
  window: {
    value: 'D',
    description: 'window size, e.g. 60s, 1m, 2s',
    default: 60_000,
    defaultText: '60s',
    parse: (raw) => parseDuration('window', raw, WINDOW_SIZE_LIMITS.min, WINDOW_SIZE_LIMITS.max),
  },
  lateness: {
    value: 'D',
    description: 'allowed lateness',
    default: 60_000,
    defaultText: '60s',
    parse: (raw) => parseDuration('lateness', raw, 0, 7 * 86_400_000),
  },
  ...DATABASE_OPTIONS,
  ...ENGINE_OPTIONS,
  ...LOG_OPTIONS,
} as const satisfies FlagTable;

function defineRun(command: Command): Command {
  return addFlags(
    command
      .summary('a bounded run: generate N events, window them into PostgreSQL, exit')
      .description(
        `A bounded, deterministic run in virtual time: generates N events into the event log, runs them
through the windowing and alert engine into PostgreSQL, finalizes every window and exits.
Interrupted (even by kill -9), the same command resumes: nothing is lost or counted twice.`,
      ),
    RUN_OPTIONS,
  );
}

export const run: CliCommand = {
  define: defineRun,
  run: (command, io) => runCommand(valuesOf(command, RUN_OPTIONS), io),
};

export async function runCommand(
  values: FlagValuesOf<typeof RUN_OPTIONS>,
  io: CliIo,
): Promise<number> {
  let parameters = generationSettingsFrom(values, io.now());
  const { events, ratePerSecond: rate } = parameters;
  // The run's window and lateness are its own, not settings overrides.
  const { window, lateness, ...settingsFlags } = values;
  const config = engineConfig({
    windowSizeMs: window ?? 60_000,
    allowedLatenessMs: lateness ?? 60_000,
  });
  const logger = createLogger({ write: io.err, component: 'run', level: 'warn' });
  const began = performance.now();

  const settings = await commandTargets(settingsFlags, io, logger);
  requireEngineFits(settings.engineKind, settings.backend);
  // Ctrl-C or SIGTERM: stop at the next batch. Everything written stays consistent (the log, the
  // engine's last checkpoint), so the same command finishes the run later, as after a crash.
  const interrupt = abortOn(io.stopSignal);
  const interrupted = () =>
    new InterruptedError(
      'interrupted; run the same command again to finish this run (nothing is lost or counted twice)',
    );
  const log = await openEventLog(settings.backend, { logger });
  const database = await openDatabase({ ...settings.database, logger }).catch(
    async (err: unknown) => {
      await log.close();
      throw err;
    },
  );
  try {
    // 0. The database must hold this log's results, or none (refused before anything is written).
    const checkpoints = new CheckpointStore(database.pool, DEFAULT_GROUP_ID);
    const { logId, legacyId } = await requireSameLog(checkpoints, settings.backend, log, database);

    // 1. Generate (or finish generating) the run's events.
    const manifests = new RunManifestStore(settings.dataDir);
    if (values.start === undefined) {
      // Without --start the start is "now": after a crash the same command must finish the run
      // it began, not begin another N events.
      const pending = manifests.unfinished(parameters);
      if (pending) {
        parameters = pending.parameters;
        io.err(
          `streampulse run: finishing run ${pending.id} (started with --start ${new Date(pending.parameters.start).toISOString()})\n`,
        );
      }
    }
    const endOffsetsOf = async (): Promise<number[]> =>
      (await log.endOffsets()).map((p) => p.offset);
    const endOffsets = await endOffsetsOf();
    let { manifest } = manifests.openRun(parameters, endOffsets);
    if (!manifest.generated) {
      const generator = new DownloadEventGenerator(generatorOptionsOf(parameters));
      const producer = new EventProducer({
        generator,
        log,
        ratePerSecond: rate,
        startAt: parameters.start,
      });
      await producer.produceVirtual(events, parameters.start, rate, {
        skipPerPartition: alreadyAppended(manifest, endOffsets),
        onProgress: () => {
          if (interrupt.aborted) throw interrupted();
        },
      });
      await log.flush();
      manifest = manifests.markGenerated(manifest, await endOffsetsOf());
    }
    // The run's records: from where the log ended before it to where it ended after generating
    // (a manifest from before that was recorded: the log's end now).
    const ranges = runRanges(
      manifest.baseEndOffsets,
      manifest.generatedEndOffsets ?? (await endOffsetsOf()),
    );

    async function drainOnBuiltin(): Promise<void> {
      const runner = new EngineRunner({
        log,
        checkpoints,
        // Recorded with each checkpoint, so another log can never be counted into these tables.
        logId,
        logAliases: [legacyId],
        config,
        logger,
        now: () => 0, // virtual time: no partition ever goes idle by the wall clock
      });
      await runner.start();
      await runner.drain(interrupt);
      if (interrupt.aborted) throw interrupted();
      await runner.flush();
      // Every record of the run must have been read: a drain that stopped short would otherwise
      // end in a summary of fewer events than were generated, and exit 0.
      const readTo = new Map(runner.offsets().map((o) => [o.partition, o.offset]));
      const short = ranges.filter((r) => (readTo.get(r.partition) ?? 0) < r.to);
      if (short.length > 0) {
        throw new Error(
          `the engine stopped before the end of this run's events (${short
            .map((r) => `partition ${r.partition} at ${readTo.get(r.partition) ?? 0} of ${r.to}`)
            .join(', ')}); run the same command again to finish it`,
        );
      }
    }

    // 2. Drain the log through the engine into Postgres, then finalize every window: the
    //    built-in engine here, or a bounded job on the Flink cluster.
    if (settings.engineKind === 'flink') {
      await runOnFlink({
        flink: settings.flink,
        log: settings.backend,
        database,
        config,
        ranges,
        logger,
        interrupt,
      });
      if (interrupt.aborted) throw interrupted();
    } else {
      await drainOnBuiltin();
    }
    manifest = manifests.markCompleted(manifest);
    const account = await accountForRun(database.pool, ranges);
    const lastEventAt = parameters.start + Math.ceil((events * 1000) / rate);
    const alerts = await database.pool.query<{ n: string }>(
      'SELECT COUNT(*) AS n FROM alerts WHERE episode_start >= $1 AND episode_start <= $2',
      [new Date(windowStartOf(parameters.start, config.windowSizeMs)), new Date(lastEventAt)],
    );
    await io.out(
      formatRunSummary({
        id: manifest.id,
        seed: parameters.seed,
        account,
        windowSizeMs: config.windowSizeMs,
        alerts: Number(alerts.rows[0]!.n),
        seconds: (performance.now() - began) / 1000,
        database: database.describe(),
      }),
    );
  } finally {
    await database.close();
    await log.close();
  }
  return EXIT_OK;
}
