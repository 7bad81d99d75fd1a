import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/run-cli-in-process';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs();

interface ExportedEvent {
  partition: number;
  offset: number;
  eventId: string;
  eventTime: string;
  region: string;
  status: string;
}

function parseLines(stdout: string): ExportedEvent[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ExportedEvent);
}

/** Every segment file's bytes, by path relative to the log dir. */
function segmentBytes(dataDir: string): Map<string, Buffer> {
  const root = join(dataDir, 'log', 'content-downloads');
  const result = new Map<string, Buffer>();
  for (const partition of readdirSync(root).filter((d) => /^p\d+$/.test(d))) {
    for (const file of readdirSync(join(root, partition))) {
      result.set(`${partition}/${file}`, readFileSync(join(root, partition, file)));
    }
  }
  return result;
}

const START = '2026-11-24T10:00:00Z';

describe('streampulse generate and events export', () => {
  it('generates N events that export as N decodable events with the configured mix', async () => {
    const dataDir = tempDir();
    const generated = await runCliInProcess([
      'generate',
      '--events',
      '50000',
      '--seed',
      '42',
      '--start',
      START,
      '--data-dir',
      dataDir,
    ]);
    expect(generated.code).toBe(0);
    expect(generated.stdout).toMatch(/generated 50,000 events \(seed 42\)/);

    const exported = await runCliInProcess(['events', 'export', '--data-dir', dataDir]);
    expect(exported.code).toBe(0);
    const events = parseLines(exported.stdout);
    expect(events).toHaveLength(50_000);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(50_000);
    const failed = events.filter((e) => e.status === 'FAILED').length / events.length;
    expect(Math.abs(failed - 0.08)).toBeLessThan(0.01);
    // Region → partition: the default partitioner keeps each area on its own partition.
    for (const e of events)
      expect(e.partition).toBe(['US', 'EU', 'ASIA'].indexOf(e.region.split('-')[0]!));
    expect(exported.stderr).toMatch(/exported 50,000 events/);
  });

  it('writes byte-identical logs for the same seed and start', async () => {
    const [a, b] = [tempDir(), tempDir()];
    for (const dataDir of [a, b]) {
      const result = await runCliInProcess([
        'generate',
        '--events',
        '20000',
        '--seed',
        '7',
        '--start',
        START,
        '--data-dir',
        dataDir,
        '--late-fraction',
        '0.05',
      ]);
      expect(result.code).toBe(0);
    }
    const [bytesA, bytesB] = [segmentBytes(a), segmentBytes(b)];
    expect([...bytesA.keys()].length).toBeGreaterThanOrEqual(3);
    expect([...bytesB.keys()]).toEqual([...bytesA.keys()]);
    for (const [file, bytes] of bytesA) expect(bytes.equals(bytesB.get(file)!), file).toBe(true);
  });

  it('exports from a time or from given offsets', async () => {
    const dataDir = tempDir();
    // 1000 events/s from 10:00:00 for 10 s.
    await runCliInProcess([
      'generate',
      '--events',
      '10000',
      '--seed',
      '1',
      '--start',
      START,
      '--virtual-rate',
      '1000',
      '--data-dir',
      dataDir,
    ]);
    const since = parseLines(
      (
        await runCliInProcess([
          'events',
          'export',
          '--since',
          '2026-11-24T10:00:05Z',
          '--data-dir',
          dataDir,
        ])
      ).stdout,
    );
    expect(since.length).toBeGreaterThan(4900);
    expect(since.length).toBeLessThan(5100);
    expect(since.every((e) => Date.parse(e.eventTime) >= Date.parse('2026-11-24T10:00:05Z'))).toBe(
      true,
    );

    const fromOffset = parseLines(
      (
        await runCliInProcess([
          'events',
          'export',
          '--from-offset',
          '1:100',
          '--limit',
          '5',
          '--data-dir',
          dataDir,
        ])
      ).stdout,
    );
    expect(fromOffset.map((e) => [e.partition, e.offset])).toEqual([
      [1, 100],
      [1, 101],
      [1, 102],
      [1, 103],
      [1, 104],
    ]);
  });

  it('rejects bad flags with a message and exit code 2', async () => {
    const dataDir = tempDir();
    const cases: Array<[string[], RegExp]> = [
      [['generate', '--data-dir', dataDir], /--events is required/],
      [['generate', '--events', '0', '--data-dir', dataDir], /--events must be a whole number/],
      [
        ['generate', '--events', '10', '--start', 'yesterday', '--data-dir', dataDir],
        /--start must be an ISO 8601/,
      ],
      [
        ['generate', '--events', '10', '--virtual-rate', '0', '--data-dir', dataDir],
        /--virtual-rate/,
      ],
      [
        ['generate', '--events', '10', '--failed', '0.9', '--slow', '0.5', '--data-dir', dataDir],
        /must not exceed 1/,
      ],
      [
        ['generate', '--events', '10', '--partitioner', 'random', '--data-dir', dataDir],
        /--partitioner: must be one of "region", "murmur2", got "random"/,
      ],
      [['generate', '--events', '10', '--frobnicate'], /Unknown option '--frobnicate'/],
      [
        ['events', 'export', '--format', 'xml', '--data-dir', dataDir],
        /--format must be one of jsonl, csv/,
      ],
      [
        [
          'events',
          'export',
          '--since',
          '2026-01-01',
          '--from-offset',
          '0:1',
          '--data-dir',
          dataDir,
        ],
        /not both/,
      ],
      [['events', 'export', '--from-offset', 'zero', '--data-dir', dataDir], /PARTITION:OFFSET/],
      [['serve', '--rate', 'fast', '--data-dir', dataDir], /--rate must be a number/],
      [['launch'], /unknown command "launch"/],
    ];
    for (const [args, message] of cases) {
      const result = await runCliInProcess(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('explains a missing log and a partition count that does not match the log', async () => {
    const dataDir = tempDir();
    const missing = await runCliInProcess(['events', 'export', '--data-dir', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/streampulse events export: .*/);
    await runCliInProcess(['generate', '--events', '10', '--start', START, '--data-dir', dataDir]);
    const mismatch = await runCliInProcess([
      'generate',
      '--events',
      '10',
      '--partitions',
      '6',
      '--data-dir',
      dataDir,
    ]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/3 partitions/);
  });

  it('answers `db url` for a data dir without a database with what to do', async () => {
    const result = await runCliInProcess(['db', 'url', '--data-dir', tempDir()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /no embedded database .* yet: run `streampulse serve` or `streampulse run` first/,
    );
    const given = await runCliInProcess([
      'db',
      'url',
      '--database-url',
      'postgres://u@db.example/x',
    ]);
    expect(given.stdout.trim()).toBe('postgres://u@db.example/x');
  });

  it('prints help for every command', async () => {
    for (const args of [
      ['--help'],
      ['help', 'generate'],
      ['serve', '--help'],
      ['events', 'export', '--help'],
    ]) {
      const result = await runCliInProcess(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: streampulse/);
    }
  });
});
