/**
 * Structured logs on pino: one JSON object per line (time, level, component, msg, then the
 * fields), so they can be grepped, shipped and parsed; or, for a person watching a terminal, the
 * same lines made readable by pino-pretty. Nothing on the hot path logs per event.
 *
 * Every line is written synchronously (to `write`, or to stderr): the last lines before an exit
 * or a crash must reach the terminal or the file, which pino's default asynchronous destination
 * does not promise. Worker threads write to their own `process.stderr`, which Node forwards to
 * the process's stderr, so their lines join the main thread's.
 */
import { isatty } from 'node:tty';
import { pino, type DestinationStream, type LoggerOptions as PinoOptions } from 'pino';
import { createRequire } from 'node:module';
import type { prettyFactory as PrettyFactory } from 'pino-pretty';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  readonly level?: LogLevel;
  /** Where each finished line goes (with its newline). Default: stderr. */
  readonly write?: (line: string) => void;
  readonly now?: () => number;
  readonly component?: string;
  /**
   * JSON lines, or readable lines for a person at a terminal. Default: JSON when `write` is
   * given (a caller that captures lines parses them), else readable iff stderr is a terminal.
   */
  readonly format?: 'json' | 'pretty';
  /** Colours in the readable format (default: when writing to stderr and it is a terminal). */
  readonly color?: boolean;
}

/**
 * What is never written as is, whatever logs it (see `censor`): at the top level and where our
 * objects nest them. Explicit paths, no wildcards: pino compiles these into plain property
 * checks, while a `*.` path walks every field of every line (ten times slower in
 * tests/bench/logger.bench.test.ts).
 */
const SECRET_KEYS = ['password', 'token', 'secret', 'authorization', 'sasl'];
/** Database URLs: kept readable, minus their password. */
const URL_KEYS = ['url', 'databaseUrl', 'connectionString'];
const NESTING = ['database', 'postgres', 'kafka', 'settings', 'options', 'headers', 'target'];

export const REDACTED_PATHS: readonly string[] = [
  ...[...SECRET_KEYS, ...URL_KEYS].flatMap((key) => [key, ...NESTING.map((o) => `${o}.${key}`)]),
  'settings.postgres.url',
  'settings.postgres.password',
  'settings.kafka.sasl',
];

const REDACTED = '***';

/** `scheme://user:password@host` → `scheme://user:***@host`; anything else at a redacted path → ***. */
export function censor(value: unknown): unknown {
  if (typeof value !== 'string') return REDACTED;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return REDACTED;
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@?#]*:)[^@/?#]*@/i, `$1${REDACTED}@`);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const now = options.now ?? Date.now;
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const format = options.format ?? (options.write ? 'json' : isatty(2) ? 'pretty' : 'json');
  const destination: DestinationStream = {
    write:
      format === 'pretty'
        ? prettyWriter(write, options.color ?? (options.write === undefined && isatty(2)))
        : write,
  };
  const config: PinoOptions = {
    level: options.level ?? 'info',
    // pino's own fields (pid, hostname) are not ours; `time` is ISO, `level` the word.
    base: null,
    timestamp: () => `,"time":"${new Date(now()).toISOString()}"`,
    formatters: { level: (label) => ({ level: label }), log: withoutStacks },
    redact: { paths: [...REDACTED_PATHS], censor },
  };
  const root = pino(config, destination);
  // A child per component: its bindings come right after time and level.
  const logger = options.component ? root.child({ component: options.component }) : root;
  // `msg` goes first in the merged object so that it precedes the fields on the line, as before
  // (pino would put it last); levels below the threshold cost a no-op call.
  const method = (level: LogLevel) =>
    logger.isLevelEnabled(level)
      ? (msg: string, fields?: LogFields): void => logger[level]({ msg, ...fields })
      : noop;
  return {
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
  };
}

function noop(): void {}

/** pino-pretty's formatter, applied to each line before it is written (no stream, no thread). */
function prettyWriter(write: (line: string) => void, colorize: boolean): (line: string) => void {
  // Loaded only when a person reads the lines: the workers and pipes (JSON) never pay for it.
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as {
    prettyFactory: typeof PrettyFactory;
  };
  const pretty = prettyFactory({
    colorize,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'component',
    messageFormat: '{if component}{component}: {end}{msg}',
    singleLine: true,
    // Errors are already {name, message} (see withoutStacks): shown inline like any field.
    errorLikeObjectKeys: [],
    // pino-pretty takes a `name` field for the logger's name; ours are fields (a migration's name).
    customPrettifiers: { name: (name) => `name=${String(name)}` },
  });
  return (line) => write(pretty(line));
}

/**
 * Errors serialize as their name and message, at any depth: no stack traces in logs meant for
 * users. Objects without errors are returned as they are (no copy).
 */
function withoutStacks(fields: Record<string, unknown>): Record<string, unknown> {
  return replaceErrors(fields, 0) as Record<string, unknown>;
}

function replaceErrors(value: unknown, depth: number): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    value.forEach((item, i) => {
      const replaced = replaceErrors(item, depth + 1);
      if (replaced !== item) (copy ??= [...value])[i] = replaced;
    });
    return copy ?? value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  let copy: Record<string, unknown> | null = null;
  for (const [key, item] of Object.entries(value)) {
    const replaced = replaceErrors(item, depth + 1);
    if (replaced !== item) (copy ??= { ...value })[key] = replaced;
  }
  return copy ?? value;
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
