import { describe, expect, it } from 'vitest';
import { censor, createLogger, type LoggerOptions } from './logger';

function capture(options: LoggerOptions = {}): {
  lines: string[];
  logger: ReturnType<typeof createLogger>;
} {
  const lines: string[] = [];
  const logger = createLogger({ write: (line) => lines.push(line), now: () => 0, ...options });
  return { lines, logger };
}

describe('createLogger (JSON lines)', () => {
  it('writes time (ISO), level (the word), component, msg, then the fields, one line each', () => {
    const { lines, logger } = capture({ component: 'serve' });
    logger.info('export', { requestId: 'r1', complete: false, bytes: 12 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      '{"level":"info","time":"1970-01-01T00:00:00.000Z","component":"serve","msg":"export","requestId":"r1","complete":false,"bytes":12}\n',
    );
    expect(lines[0]).toMatch(/"msg":"export".*"complete":false/);
  });

  it('drops lines below the level, and defaults to info', () => {
    const { lines, logger } = capture();
    logger.debug('hidden');
    logger.info('shown');
    logger.warn('warned');
    logger.error('failed');
    expect(lines.map((l) => JSON.parse(l) as { level: string; msg: string })).toEqual([
      expect.objectContaining({ level: 'info', msg: 'shown' }),
      expect.objectContaining({ level: 'warn', msg: 'warned' }),
      expect.objectContaining({ level: 'error', msg: 'failed' }),
    ]);
    const debug = capture({ level: 'debug' });
    debug.logger.debug('now shown', { a: 1 });
    expect(JSON.parse(debug.lines[0]!)).toMatchObject({ level: 'debug', msg: 'now shown', a: 1 });
    const quiet = capture({ level: 'warn' });
    quiet.logger.info('hidden');
    expect(quiet.lines).toEqual([]);
  });

  it('writes errors as name and message, at any depth, without stacks', () => {
    const { lines, logger } = capture();
    logger.error('failed', {
      error: new TypeError('bad input'),
      nested: { causes: [new RangeError('too far'), 'text'] },
    });
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry.error).toEqual({ name: 'TypeError', message: 'bad input' });
    expect(entry.nested).toEqual({ causes: [{ name: 'RangeError', message: 'too far' }, 'text'] });
    expect(lines[0]).not.toContain('stack');
    expect(lines[0]).not.toContain('at ');
  });

  it('redacts passwords, tokens and SASL settings, and the password in database URLs', () => {
    const { lines, logger } = capture();
    logger.warn('connecting', {
      password: 'hunter22',
      token: 'launch-token-value',
      kafka: { sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p4ss' } },
      database: { url: 'postgres://app:s3cret@db.example:5432/streampulse' },
      databaseUrl: 'postgresql://app:s%40cret@localhost/db',
      options: { url: 'http://127.0.0.1:3000/' },
    });
    const line = lines[0]!;
    for (const secret of ['hunter22', 'launch-token-value', 'p4ss', 's3cret', 's%40cret']) {
      expect(line).not.toContain(secret);
    }
    const entry = JSON.parse(line) as Record<string, Record<string, unknown>>;
    expect(entry.password).toBe('***');
    expect(entry.token).toBe('***');
    expect(entry.kafka?.sasl).toBe('***');
    expect(entry.database?.url).toBe('postgres://app:***@db.example:5432/streampulse');
    expect(entry.databaseUrl).toBe('postgresql://app:***@localhost/db');
    // A URL without a password stays readable.
    expect(entry.options?.url).toBe('http://127.0.0.1:3000/');
  });

  it('censors what is not a URL whole', () => {
    expect(censor('plain')).toBe('***');
    expect(censor({ a: 1 })).toBe('***');
    expect(censor('postgres://host/db')).toBe('postgres://host/db');
  });
});

describe('createLogger (readable lines)', () => {
  it('writes one readable line per entry: time, level, component, message and fields', () => {
    const { lines, logger } = capture({ component: 'serve', format: 'pretty' });
    logger.warn('database connection lost', { attempt: 2, error: new Error('refused') });
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] WARN: serve: database connection lost/);
    expect(line).toContain('"attempt":2');
    expect(line).toContain('refused');
    expect(line.trimEnd().split('\n')).toHaveLength(1);
    expect(() => JSON.parse(line) as unknown).toThrow();
  });
});
