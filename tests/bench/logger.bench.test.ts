/**
 * The logger on pino against the hand-written JSON logger it replaced (kept below as the
 * baseline, as it was): lines per second for 100k lines with fields, written to a sink that keeps
 * only the byte count (the formatting cost, not the terminal's), and the cost of a call below the
 * level (the only kind a hot path may make: nothing logs per event).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { it } from 'vitest';
import { createLogger, type LogFields, type Logger } from '../../src/main/logger';
import { BenchReport, bestOf } from './bench-report';

const LINES = 100_000;
const DISABLED_CALLS = 10_000_000;

/** The logger before pino (src/main/logger.ts at the commit before), unchanged. */
function handWrittenLogger(options: {
  level?: 'debug' | 'info';
  write: (line: string) => void;
  component?: string;
}): Logger {
  const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
  const threshold = LEVELS[options.level ?? 'info'];
  const errorReplacer = (_key: string, value: unknown): unknown =>
    value instanceof Error ? { name: value.name, message: value.message } : value;
  const log =
    (level: keyof typeof LEVELS) =>
    (msg: string, fields?: LogFields): void => {
      if (LEVELS[level] < threshold) return;
      const entry = {
        time: new Date(Date.now()).toISOString(),
        level,
        ...(options.component ? { component: options.component } : {}),
        msg,
        ...fields,
      };
      options.write(`${JSON.stringify(entry, errorReplacer)}\n`);
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function logLines(logger: Logger): void {
  for (let i = 0; i < LINES; i++) {
    logger.info('request', {
      requestId: 'a5b7c1d2-0000-4000-8000-000000000000',
      method: 'GET',
      path: '/api/stats/trending',
      status: 200,
      ms: 1.234,
      i,
    });
  }
}

function disabledCalls(logger: Logger): void {
  for (let i = 0; i < DISABLED_CALLS; i++) logger.debug('per event', { i });
}

it('logger: pino against the hand-written logger', async () => {
  const report = new BenchReport('logger');
  let bytes = 0;
  const sink = (line: string): void => {
    bytes += line.length;
  };
  const loggers = {
    'hand-written': handWrittenLogger({ write: sink, component: 'serve' }),
    pino: createLogger({ write: sink, component: 'serve' }),
  };
  for (const [name, logger] of Object.entries(loggers)) {
    const ms = await bestOf(5, () => logLines(logger));
    report.add(`${name}: 100k lines to memory`, (LINES / ms) * 1000, 'lines/s');
  }
  // Through a real file descriptor (synchronous writes, as stderr to a file or pipe).
  const fd = openSync('/dev/null', 'w');
  const toFd = (line: string): void => void writeSync(fd, line);
  const fdLoggers = {
    'hand-written': handWrittenLogger({ write: toFd, component: 'serve' }),
    pino: createLogger({ write: toFd, component: 'serve' }),
  };
  for (const [name, logger] of Object.entries(fdLoggers)) {
    const ms = await bestOf(5, () => logLines(logger));
    report.add(`${name}: 100k lines to /dev/null`, (LINES / ms) * 1000, 'lines/s');
  }
  closeSync(fd);
  for (const [name, logger] of Object.entries(loggers)) {
    const ms = await bestOf(5, () => disabledCalls(logger));
    report.add(`${name}: debug call at level info`, (ms * 1e6) / DISABLED_CALLS, 'ns/call');
  }
  report.add('bytes written (keeps the sink live)', bytes, 'B');
  report.write();
});
