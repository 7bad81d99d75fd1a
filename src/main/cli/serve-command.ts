/** `streampulse serve`: the pipeline and the local dashboard, headless, until stopped. */
import { parseArgs } from 'node:util';
import { HttpServer } from '../api/http-server';
import { MAX_RATE, MIN_RATE } from '../generator/rate-pacer';
import { createLogger } from '../logger';
import { Pipeline } from '../pipeline';
import { EXIT_OK, type CliIo } from './cli-io';
import { formatCount } from './format';
import { LOG_OPTIONS, LOG_OPTIONS_HELP, logSettingsFrom, openLog } from './log-options';
import { parseInteger, parseNumber } from './option-parsers';

export const DEFAULT_PORT = 7420;

export const SERVE_HELP = `Usage: streampulse serve [options]

Runs the pipeline (generator → event log) and serves the dashboard on 127.0.0.1 until stopped
with Ctrl-C.

Options:
  --rate R              events per second, ${MIN_RATE} to ${formatCount(MAX_RATE)} (default 50)
  --seed S              seed of the catalog and the events (default: a new one each run)
  --port P              HTTP port; if taken, the next free one (default ${DEFAULT_PORT}; 0: any)
  --status-every S      print a status line every S seconds, 0: never (default 10)
${LOG_OPTIONS_HELP}
`;

export async function serveCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...LOG_OPTIONS,
      rate: { type: 'string' },
      seed: { type: 'string' },
      port: { type: 'string' },
      'status-every': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const rate = parseNumber('rate', values.rate, MIN_RATE, MAX_RATE) ?? 50;
  const port = parseInteger('port', values.port, 0, 65535) ?? DEFAULT_PORT;
  const statusEverySeconds = parseNumber('status-every', values['status-every'], 0, 86400) ?? 10;
  const seed = values.seed ?? String(io.now());
  const settings = logSettingsFrom(values, io.env);

  const logger = createLogger({ write: io.err, component: 'serve', now: io.now });
  const log = await openLog(settings, logger);
  const pipeline = new Pipeline({ log, seed, ratePerSecond: rate, logger, now: io.now });
  const server = new HttpServer({
    port,
    staticRoot: io.dashboardDir,
    status: () => pipeline.status(),
    logger,
  });
  let statusTimer: NodeJS.Timeout | undefined;
  try {
    await pipeline.start();
    await server.start();
    await io.out(`StreamPulse is running headless: dashboard at ${server.url}\n`);
    await io.out(
      `data dir ${settings.dataDir}; ${formatCount(rate)} events/s, seed ${seed}. Ctrl-C stops.\n`,
    );
    if (statusEverySeconds > 0) {
      statusTimer = setInterval(() => void io.out(statusLine(pipeline)), statusEverySeconds * 1000);
    }
    await io.stopSignal;
    await io.out('stopping…\n');
  } finally {
    clearInterval(statusTimer);
    await server.stop();
    await pipeline.stop();
    await log.close();
  }
  return EXIT_OK;
}

function statusLine(pipeline: Pipeline): string {
  const { generator, log } = pipeline.status();
  const partitions = log.partitions
    .map((p) => `p${p.partition} ${formatCount(p.endOffset)}`)
    .join(', ');
  return `${formatCount(Math.round(generator.eventsPerSecond))} events/s, ${formatCount(generator.produced)} produced; log end offsets ${partitions}\n`;
}
