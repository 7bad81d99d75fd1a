/**
 * Structured logs: one JSON object per line (time, level, msg, fields), so they can be grepped,
 * shipped and parsed. Nothing on the hot path logs per event.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  readonly level?: LogLevel;
  readonly write?: (line: string) => void;
  readonly now?: () => number;
  readonly component?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LEVELS[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? Date.now;
  const log =
    (level: LogLevel) =>
    (msg: string, fields?: LogFields): void => {
      if (LEVELS[level] < threshold) return;
      const entry = {
        time: new Date(now()).toISOString(),
        level,
        ...(options.component ? { component: options.component } : {}),
        msg,
        ...fields,
      };
      write(`${JSON.stringify(entry, errorReplacer)}\n`);
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Errors serialize as their name and message: no stack traces in logs meant for users. */
function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
