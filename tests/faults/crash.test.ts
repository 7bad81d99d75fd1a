/**
 * kill -9 at random moments of `streampulse run` (the built CLI, in its own process), then the
 * same command again until it completes: the final tables equal those of an uninterrupted run.
 * Nothing lost, nothing counted twice, alerts and late events included.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EmbeddedEventLog } from '../../src/main/log/embedded-event-log';
import { SeededRandom } from '../../src/main/generator/seeded-random';
import { tablesOf } from '../support/database-tables';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs();
const bin = fileURLToPath(new URL('../../bin/streampulse.mjs', import.meta.url));

// 10 s windows; events 15 s late with 8 s of allowed lateness: some update their window (late
// firings), some come after it (late events). A 9% failure rate opens alerts in some regions.
// prettier-ignore
const RUN_ARGS = [
  'run', '--events', '200000', '--seed', '11', '--start', '2026-11-24T08:00:00Z', '--virtual-rate', '400',
  '--window', '10s', '--lateness', '8s', '--late-fraction', '0.02', '--late-by-ms', '15000', '--failed', '0.09',
];

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the CLI; if `killWhen` is given, polls it and kills the process with SIGKILL once it holds. */
async function runCli(
  dataDir: string,
  killWhen?: () => boolean,
  args: readonly string[] = RUN_ARGS,
): Promise<Exit & { killed: boolean }> {
  const child = spawn(process.execPath, [bin, ...args, '--data-dir', dataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  let killed = false;
  if (killWhen) {
    const poller = setInterval(() => {
      if (child.exitCode === null && killWhen()) {
        killed = child.kill('SIGKILL');
        clearInterval(poller);
      }
    }, 5);
    void exited.then(() => clearInterval(poller));
  }
  return { ...(await exited), killed };
}

function logBytes(dataDir: string): number {
  const root = join(dataDir, 'log', 'content-downloads');
  if (!existsSync(root)) return 0;
  let bytes = 0;
  for (const p of readdirSync(root).filter((d) => /^p\d+$/.test(d))) {
    for (const f of readdirSync(join(root, p))) bytes += statSync(join(root, p, f)).size;
  }
  return bytes;
}

/** Records the engine has checkpointed (its Kafka-style group offsets, written after each checkpoint). */
function checkpointedRecords(dataDir: string): number {
  const file = join(dataDir, 'log', 'content-downloads', 'groups', 'streampulse-engine.json');
  try {
    const offsets = (JSON.parse(readFileSync(file, 'utf8')) as { offsets: Record<string, number> })
      .offsets;
    return Object.values(offsets).reduce((a, b) => a + b, 0);
  } catch {
    return 0;
  }
}

async function endOffsets(dataDir: string): Promise<number[]> {
  const log = await EmbeddedEventLog.open({ dir: join(dataDir, 'log'), readOnly: true });
  try {
    return (await log.endOffsets()).map((p) => p.offset);
  } finally {
    await log.close();
  }
}

describe('kill -9 during a run', () => {
  it('leaves, after a restart, the same tables as an uninterrupted run', async () => {
    expect(
      existsSync(bin) &&
        existsSync(fileURLToPath(new URL('../../out/main/cli.js', import.meta.url))),
      'run `npm run build` first',
    ).toBe(true);
    const baselineDir = tempDir();
    const baseline = await runCli(baselineDir);
    expect(baseline.stderr).not.toMatch(/"level":"error"/);
    expect(baseline.code).toBe(0);
    const expected = await tablesOf(baselineDir);
    const fullLog = logBytes(baselineDir);
    expect(expected.lateEvents).toBeGreaterThan(0);
    expect(expected.alerts.length).toBeGreaterThan(0);

    const dir = tempDir();
    const random = new SeededRandom('crash-points');
    // Kill points: twice while generating, three times while consuming, at seeded random depths.
    const killPoints: Array<() => boolean> = [
      ...[0, 1].map(() => {
        const bytes = fullLog * random.between(0.05, 0.9);
        return () => logBytes(dir) >= bytes;
      }),
      ...[0, 1, 2].map((i) => {
        const records = 200_000 * random.between(0.1 + i * 0.25, 0.3 + i * 0.25);
        return () => checkpointedRecords(dir) >= records;
      }),
    ];
    let kills = 0;
    for (const killWhen of killPoints) {
      const attempt = await runCli(dir, killWhen);
      if (attempt.killed) kills++;
      else expect(attempt.code, attempt.stderr).toBe(0);
    }
    expect(kills).toBeGreaterThanOrEqual(3);
    const final = await runCli(dir);
    expect(final.stderr).not.toMatch(/"level":"error"/);
    expect(final.code).toBe(0);

    const actual = await tablesOf(dir);
    expect([...actual.content.entries()].sort()).toEqual([...expected.content.entries()].sort());
    expect([...actual.region.entries()].sort()).toEqual([...expected.region.entries()].sort());
    expect([...actual.device.entries()].sort()).toEqual([...expected.device.entries()].sort());
    expect(actual.alerts).toEqual(expected.alerts);
    expect(actual.lateEvents).toBe(expected.lateEvents);
    // The log itself: the same records per partition (batch boundaries may differ after a resume).
    expect(await endOffsets(dir)).toEqual(await endOffsets(baselineDir));
  }, 300_000);

  it('finishes the same run when the command had no --start (whose start is "now")', async () => {
    const dataDir = tempDir();
    const args = RUN_ARGS.filter(
      (_, i) => RUN_ARGS[i] !== '--start' && RUN_ARGS[i - 1] !== '--start',
    );
    expect(args).toHaveLength(RUN_ARGS.length - 2);
    // Killed mid-generation, once part of the run is in the log.
    const first = await runCli(dataDir, () => logBytes(dataDir) > 2_000_000, args);
    expect(first.killed).toBe(true);
    const second = await runCli(dataDir, undefined, args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/finishing run [0-9a-f]{16} \(started with --start /);
    // One run of 200,000 events, not a second one appended after the first's part.
    expect(readdirSync(join(dataDir, 'runs'))).toHaveLength(1);
    const tables = await tablesOf(dataDir);
    // (Events later than the allowed lateness are kept aside, not counted in a window.)
    const counted = [...tables.region.values()].reduce((sum, row) => sum + row.total, 0);
    expect(counted + tables.lateEvents).toBe(200_000);
    // Finished: the same command now begins a new run.
    const third = await runCli(dataDir, undefined, args);
    expect(third.code).toBe(0);
    expect(third.stderr).not.toMatch(/finishing run/);
    expect(readdirSync(join(dataDir, 'runs'))).toHaveLength(2);
  }, 180_000);
});
