/** `streampulse generate`: a bounded, deterministic run in virtual time, appended to the log. */
import type { Command } from 'commander';
import { DownloadEventGenerator } from '../generator/download-event-generator';
import { EventProducer } from '../generator/event-producer';
import { createLogger } from '../logger';
import { EXIT_OK, type CliIo } from './cli-io';
import {
  addFlags,
  valuesOf,
  type CliCommand,
  type FlagTable,
  type FlagValuesOf,
} from './cli-options';
import {
  GENERATION_OPTIONS,
  generationSettingsFrom,
  generatorOptionsOf,
} from './generation-options';
import { openEventLog } from '../log/open-event-log';
import { commandTargets } from './command-settings';
import { LOG_OPTIONS } from './log-options';
import { formatCount, formatBytes } from './format';
import { abortOn, InterruptedError } from './interrupt';

const GENERATE_OPTIONS = { ...GENERATION_OPTIONS, ...LOG_OPTIONS } as const satisfies FlagTable;

function defineGenerate(command: Command): Command {
  return addFlags(
    command.summary('generate N events in virtual time into the event log, then exit').description(
      `Generates N download events in virtual time, as fast as the machine goes, appends them to the
event log and exits. The same seed and options give byte-identical events.`,
    ),
    GENERATE_OPTIONS,
  );
}

export const generate: CliCommand = {
  define: defineGenerate,
  run: (command, io) => generateCommand(valuesOf(command, GENERATE_OPTIONS), io),
};

export async function generateCommand(
  values: FlagValuesOf<typeof GENERATE_OPTIONS>,
  io: CliIo,
): Promise<number> {
  const run = generationSettingsFrom(values, io.now());
  const { seed, events, start, ratePerSecond: rate } = run;
  const durationMs = Math.ceil((events * 1000) / rate);
  const logger = createLogger({ write: io.err, component: 'generate' });
  const settings = await commandTargets(values, io, logger);
  const log = await openEventLog(settings.backend, { logger });
  try {
    const generator = new DownloadEventGenerator(generatorOptionsOf(run));
    const producer = new EventProducer({ generator, log, ratePerSecond: rate, startAt: start });
    const began = performance.now();
    // Ctrl-C or SIGTERM: stop at the next batch; what was appended stays in the log.
    const interrupt = abortOn(io.stopSignal);
    await producer.produceVirtual(events, start, rate, {
      onProgress: (done) => {
        if (interrupt.aborted)
          throw new InterruptedError(
            `interrupted after ${formatCount(done)} of ${formatCount(events)} events; they stay in the log`,
          );
      },
    });
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
