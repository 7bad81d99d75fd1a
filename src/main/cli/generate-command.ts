/** `streampulse generate`: a bounded, deterministic run in virtual time, appended to the log. */
import { parseArgs } from 'node:util';
import { DownloadEventGenerator } from '../generator/download-event-generator';
import { EventProducer } from '../generator/event-producer';
import { MAX_RATE, MIN_RATE } from '../generator/rate-pacer';
import { createLogger } from '../logger';
import { EXIT_OK, UsageError, type CliIo } from './cli-io';
import { LOG_OPTIONS, LOG_OPTIONS_HELP, logSettingsFrom, openLog } from './log-options';
import { parseInteger, parseNumber, parseTimestamp } from './option-parsers';
import { formatCount, formatBytes } from './format';

export const GENERATE_HELP = `Usage: streampulse generate --events N [options]

Generates N download events in virtual time, as fast as the machine goes, appends them to the
event log and exits. The same seed and options give byte-identical events.

Options:
  --events N            how many events (required)
  --seed S              seed of the catalog and the events (default 42)
  --start ISO           event time of the first event (default: so the last one is now;
                        give it for a reproducible run)
  --virtual-rate R      events per virtual second (default 1000)
  --failed F            share of failed downloads, 0..1 (default 0.08)
  --slow F              share of slow downloads, 0..1 (default 0.02)
  --late-fraction F     share of events delivered late, 0..1 (default 0)
  --late-by-ms MS       how late those are, ms (default 5000)
${LOG_OPTIONS_HELP}
`;

export async function generateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...LOG_OPTIONS,
      events: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      'virtual-rate': { type: 'string' },
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
  const seed = values.seed ?? '42';
  const durationMs = Math.ceil((events * 1000) / rate);
  const start = parseTimestamp('start', values.start) ?? io.now() - durationMs;
  const outcomeMix = {
    failed: parseNumber('failed', values.failed, 0, 1) ?? 0.08,
    slow: parseNumber('slow', values.slow, 0, 1) ?? 0.02,
  };
  if (outcomeMix.failed + outcomeMix.slow > 1)
    throw new UsageError('--failed plus --slow must not exceed 1');
  const late = {
    fraction: parseNumber('late-fraction', values['late-fraction'], 0, 1) ?? 0,
    delayMs: parseNumber('late-by-ms', values['late-by-ms'], 0, 86_400_000) ?? 5000,
  };
  const settings = logSettingsFrom(values, io.env);

  const logger = createLogger({ write: io.err, component: 'generate' });
  const log = await openLog(settings, logger);
  try {
    const generator = new DownloadEventGenerator({ seed, outcomeMix, late });
    const producer = new EventProducer({ generator, log, ratePerSecond: rate, startAt: start });
    const began = performance.now();
    await producer.produceVirtual(events, start, rate);
    const seconds = (performance.now() - began) / 1000;
    const stats = producer.stats();
    const partitions = stats.perPartition.map((n, p) => `${p}: ${formatCount(n)}`).join(' · ');
    await io.out(
      `generated ${formatCount(stats.produced)} events (seed ${seed}) into ${settings.dataDir}\n` +
        `  event time ${new Date(start).toISOString()} → ${new Date(start + durationMs).toISOString()}\n` +
        `  ${formatBytes(stats.bytes)} of Avro in ${seconds.toFixed(2)} s (${formatCount(Math.round(stats.produced / seconds))} events/s)\n` +
        `  partitions ${partitions}\n`,
    );
  } finally {
    await log.close();
  }
  return EXIT_OK;
}
