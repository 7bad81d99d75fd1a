/**
 * The same figures from two builds in one run, alternating, so the machine's noise hits both
 * alike: this tree against a base commit (BENCH_BASE, default the last commit before issue 17's
 * refactor). Per build, each round starts `serve` from its own built bin and measures:
 *
 * - cached API reads: GET /api/stats/trending through the real server (the read cache answers),
 *   autocannon, 50 connections, 6 s, while serve generates 1,000 events/s;
 * - the main thread's event-loop delay p99 under full load (`serve --rate 5000000`, 10 s after a
 *   2 s warm-up, the status's last complete interval), no HTTP load.
 *
 * The base is built in a temporary git worktree that borrows this tree's node_modules (its
 * dependencies are a subset). Target (issue 17): the new build within 5% of the base on both.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Result } from 'autocannon';
import { it } from 'vitest';
import { BenchReport, until } from './bench-report';

const BASE = process.env.BENCH_BASE ?? 'd560b01';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const run = promisify(execFile);
const autocannonCli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
const HEAD_DIR = resolve('.');

function workDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755); // the embedded database runs as the postgres user when we are root
  return dir;
}

/** Builds `ref` in a worktree beside this one; returns its directory. */
async function buildBase(ref: string): Promise<string> {
  const dir = join(workDir('sp-bench-base-'), 'tree');
  await run('git', ['worktree', 'add', '--detach', dir, ref], { cwd: HEAD_DIR });
  symlinkSync(join(HEAD_DIR, 'node_modules'), join(dir, 'node_modules'));
  await run(
    process.execPath,
    [join(HEAD_DIR, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return dir;
}

interface Serve {
  readonly url: string;
  /** The serve process's resident memory now (workers are threads: included), MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

async function startServe(tree: string, rate: number): Promise<Serve> {
  const dataDir = workDir('sp-bench-compare-');
  const child = spawn(
    process.execPath,
    [
      join(tree, 'bin/streampulse.mjs'),
      'serve',
      '--port',
      '0',
      '--rate',
      String(rate),
      '--status-every',
      '0',
      '--data-dir',
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const url = await until(() => /dashboard at (\S+)/.exec(stdout)?.[1], 60_000);
  await until(async () => ((await status(url)).engine?.consumed ?? 0) > 0 || undefined, 60_000);
  return {
    url,
    rssMb: () =>
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) /
      1024,
    stop: async () => {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type Status = {
  engine: { consumed: number } | null;
  mainThreadLoopDelay: { p99Ms: number; maxMs: number };
};

async function status(url: string): Promise<Status> {
  return ((await (await fetch(`${url}api/pipeline/status`)).json()) as { data: Status }).data;
}

async function cachedReads(tree: string): Promise<number> {
  const serve = await startServe(tree, 1000);
  try {
    const target = `${serve.url}api/stats/trending`;
    const cannon = async (seconds: number): Promise<Result> =>
      JSON.parse(
        (
          await run(
            process.execPath,
            [autocannonCli, '-c', '50', '-d', String(seconds), '-j', '-n', target],
            { maxBuffer: 16 * 1024 * 1024 },
          )
        ).stdout,
      ) as Result;
    await cannon(2); // warm-up
    const result = await cannon(6);
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${target}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    return result.requests.average;
  } finally {
    await serve.stop();
  }
}

async function loopDelayUnderLoad(tree: string): Promise<{ p99Ms: number; rssMb: number }> {
  const serve = await startServe(tree, 5_000_000);
  try {
    await new Promise((done) => setTimeout(done, 12_000)); // warm-up, then one full 10 s interval
    return { p99Ms: (await status(serve.url)).mainThreadLoopDelay.p99Ms, rssMb: serve.rssMb() };
  } finally {
    await serve.stop();
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

it(`compare: this tree against ${BASE}, cached API reads and loop delay under full load`, async () => {
  const baseTree = await buildBase(BASE);
  try {
    const figures = {
      base: { reads: [] as number[], delay: [] as number[], rss: [] as number[] },
      head: { reads: [] as number[], delay: [] as number[], rss: [] as number[] },
    };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first, so a drift in the machine's load favours neither.
      const order = round % 2 === 0 ? (['base', 'head'] as const) : (['head', 'base'] as const);
      for (const which of order) {
        const tree = which === 'base' ? baseTree : HEAD_DIR;
        figures[which].reads.push(await cachedReads(tree));
        const loaded = await loopDelayUnderLoad(tree);
        figures[which].delay.push(loaded.p99Ms);
        figures[which].rss.push(loaded.rssMb);
      }
    }
    const report = new BenchReport('compare-commits');
    const note = `median of ${ROUNDS} alternating rounds; base ${BASE}`;
    const reads = { base: median(figures.base.reads), head: median(figures.head.reads) };
    const delay = { base: median(figures.base.delay), head: median(figures.head.delay) };
    report.add('cached reads, base: req/s', reads.base, 'req/s', note);
    report.add('cached reads, this tree: req/s', reads.head, 'req/s');
    report.add('cached reads: this tree / base', reads.head / reads.base, '×', 'target ≥ 0.95');
    report.add('loop delay p99 under full load, base', delay.base, 'ms');
    report.add('loop delay p99 under full load, this tree', delay.head, 'ms');
    report.add('loop delay p99: this tree / base', delay.head / delay.base, '×', 'target ≤ 1.05');
    const rss = { base: median(figures.base.rss), head: median(figures.head.rss) };
    report.add('serve RSS at full load after 12 s, base', rss.base, 'MB');
    report.add('serve RSS at full load after 12 s, this tree', rss.head, 'MB');
    report.write();
    console.log(
      `  rounds, cached reads req/s: base ${figures.base.reads.map(Math.round).join(', ')}; this tree ${figures.head.reads.map(Math.round).join(', ')}\n` +
        `  rounds, loop delay p99 ms: base ${figures.base.delay.map((d) => d.toFixed(1)).join(', ')}; this tree ${figures.head.delay.map((d) => d.toFixed(1)).join(', ')}`,
    );
  } finally {
    await run('git', ['worktree', 'remove', '--force', baseTree], { cwd: HEAD_DIR }).catch(
      () => undefined,
    );
  }
});
