/**
 * `streampulse run`: a bounded, deterministic run in virtual time. Generates N events into the log
 * (resuming, not duplicating, if the same run was interrupted), drains the log through the engine
 * into Postgres, finalizes every window and prints a one-line summary.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_GROUP_ID, EngineRunner } from '../engine/engine-runner';
import { engineConfig } from '../engine/engine-config';
import { DownloadEventGenerator } from '../generator/download-event-generator';
import { EventProducer } from '../generator/event-producer';
import { MAX_RATE, MIN_RATE } from '../generator/rate-pacer';
import { alreadyAppended, RunManifestStore } from '../generator/run-manifest';
import { createLogger } from '../logger';
import { CheckpointStore } from '../store/checkpoint-store';
import { EXIT_OK, UsageError, type CliIo } from './cli-io';
import { DATABASE_OPTIONS, DATABASE_OPTIONS_HELP, openDatabaseFrom } from './database-options';
import { formatCount } from './format';
import { LOG_OPTIONS, LOG_OPTIONS_HELP, logSettingsFrom, openLog } from './log-options';
import { parseDuration, parseInteger, parseNumber, parseTimestamp } from './option-parsers';

export const RUN_HELP = `Usage: streampulse run --events N [options]

A bounded, deterministic run in virtual time: generates N events into the event log, runs them
through the windowing and alert engine into PostgreSQL, finalizes every window and exits.
Interrupted (even by kill -9), the same command resumes: nothing is lost or counted twice.

Options:
  --events N            how many events (required)
  --seed S              seed (default 42)
  --start ISO           event time of the first event (default: so the last one is now;
                        give it to make the run reproducible and resumable)
  --virtual-rate R      events per virtual second (default 1000)
  --window D            window size, e.g. 60s, 1m, 2s (default 60s)
  --lateness D          allowed lateness (default 60s)
  --failed F, --slow F  outcome mix (default 0.08, 0.02)
  --late-fraction F     share of events delivered late (default 0)
  --late-by-ms MS       how late (default 5000)
${DATABASE_OPTIONS_HELP}
${LOG_OPTIONS_HELP}
`;

export async function runCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...LOG_OPTIONS,
      ...DATABASE_OPTIONS,
      events: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      'virtual-rate': { type: 'string' },
      window: { type: 'string' },
      lateness: { type: 'string' },
      failed: { type: 'string' },
      slow: { type: 'string' },
      'late-fraction': { type: 'string' },
      'late-by-ms': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const events = parseInteger('events', values.events, 1, 10_000_000_000);
  if (events === undefined) throw new UsageError('--events is required');
  const rate = parseNumber('virtual-rate', values['virtual-rate'], MIN_RATE, MAX_RATE) ?? 1000;
  const durationMs = Math.ceil((events * 1000) / rate);
  const parameters = {
    seed: values.seed ?? '42',
    events,
    start: parseTimestamp('start', values.start) ?? io.now() - durationMs,
    ratePerSecond: rate,
    failed: parseNumber('failed', values.failed, 0, 1) ?? 0.08,
    slow: parseNumber('slow', values.slow, 0, 1) ?? 0.02,
    lateFraction: parseNumber('late-fraction', values['late-fraction'], 0, 1) ?? 0,
    lateByMs: parseNumber('late-by-ms', values['late-by-ms'], 0, 86_400_000) ?? 5000,
  };
  if (parameters.failed + parameters.slow > 1)
    throw new UsageError('--failed plus --slow must not exceed 1');
  const config = engineConfig({
    windowSizeMs: parseDuration('window', values.window, 1000, 86_400_000) ?? 60_000,
    allowedLatenessMs: parseDuration('lateness', values.lateness, 0, 7 * 86_400_000) ?? 60_000,
  });
  const settings = logSettingsFrom(values, io.env);
  const logger = createLogger({ write: io.err, component: 'run', level: 'warn' });
  const began = performance.now();

  const log = await openLog(settings, logger);
  const database = await openDatabaseFrom(values, io.env, settings.dataDir, logger).catch(
    async (err: unknown) => {
      await log.close();
      throw err;
    },
  );
  try {
    // 1. Generate (or finish generating) the run's events.
    const manifests = new RunManifestStore(settings.dataDir);
    const endOffsets = (await log.endOffsets()).map((p) => p.offset);
    let { manifest } = manifests.openRun(parameters, endOffsets);
    if (!manifest.generated) {
      const generator = new DownloadEventGenerator({
        seed: parameters.seed,
        outcomeMix: { failed: parameters.failed, slow: parameters.slow },
        late: { fraction: parameters.lateFraction, delayMs: parameters.lateByMs },
      });
      const producer = new EventProducer({
        generator,
        log,
        ratePerSecond: rate,
        startAt: parameters.start,
      });
      await producer.produceVirtual(events, parameters.start, rate, {
        skipPerPartition: alreadyAppended(manifest, endOffsets),
      });
      await log.flush();
      manifest = manifests.markGenerated(manifest);
    }

    // 2. Drain the log through the engine into Postgres, then finalize every window.
    const runner = new EngineRunner({
      log,
      checkpoints: new CheckpointStore(database.pool, DEFAULT_GROUP_ID),
      config,
      logger,
      now: () => 0, // virtual time: no partition ever goes idle by the wall clock
    });
    await runner.start();
    await runner.drain();
    await runner.flush();

    const stats = runner.stats();
    const totals = await database.pool.query<{ downloads: string; windows: string }>(
      'SELECT COALESCE(SUM(download_count), 0) AS downloads, COUNT(DISTINCT window_start) AS windows FROM content_stats',
    );
    const alerts = await database.pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM alerts');
    const seconds = (performance.now() - began) / 1000;
    await io.out(
      `run ${manifest.id}: ${formatCount(events)} events (seed ${parameters.seed}); ` +
        `${formatCount(Number(totals.rows[0]!.downloads))} downloads in ${formatCount(Number(totals.rows[0]!.windows))} windows of ${config.windowSizeMs / 1000} s; ` +
        `${formatCount(Number(alerts.rows[0]!.n))} alerts, ${formatCount(stats.engine.lateEvents)} late events, ` +
        `${formatCount(stats.deadLetters)} dead letters; ${seconds.toFixed(1)} s; database ${database.describe()}\n`,
    );
  } finally {
    await database.close();
    await log.close();
  }
  return EXIT_OK;
}
