/**
 * The soak: `serve` under steady load (default 100,000 events/s, 10% of them delivered 90 s late,
 * the default failure mix) for a number of minutes, sampled every 10 s from outside: the RSS of
 * the serve process, the proportional set size (PSS) of its embedded PostgreSQL processes, the
 * main thread's event-loop delay and the engine's lag. Then a clean stop (SIGTERM) and an
 * independent recount: every record the engine consumed, read back from the log, against the
 * tables, for every window that can no longer change.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logDirOf } from '../../src/main/data-dir';
import { DownloadEventCodec } from '../../src/main/events/download-event-codec';
import { EmbeddedEventLog } from '../../src/main/log/embedded-event-log';
import { silentLogger } from '../../src/main/logger';
import { openDatabase } from '../../src/main/store/database';
import { SETTINGS_VERSION } from '../../src/shared/settings';
import { NODE_FLAGS } from '../../scripts/node-version.mjs';
import { until } from './bench-report';

export interface SoakOptions {
  readonly minutes: number;
  readonly ratePerSecond?: number;
  readonly lateFraction?: number;
  readonly lateByMs?: number;
  readonly sampleEveryMs?: number;
  /** Window size and allowed lateness (default 60 s each); short ones let a short soak settle windows. */
  readonly windowMs?: number;
  readonly allowedLatenessMs?: number;
  /** Samples before this are the warm-up: not in the growth figure. */
  readonly warmupMs?: number;
  readonly onSample?: (sample: SoakSample) => void;
}

export interface SoakSample {
  /** Seconds since serve was ready. */
  readonly atS: number;
  readonly serveRssMb: number;
  readonly postgresPssMb: number;
  readonly produced: number;
  readonly consumed: number;
  readonly lag: number;
  readonly loopDelayP99Ms: number;
}

export interface SoakResult {
  readonly samples: readonly SoakSample[];
  readonly serveRssPeakMb: number;
  /** Growth of serve's RSS over the samples after the warm-up (least-squares line), in %. */
  readonly serveRssGrowthPct: number;
  readonly postgresPssPeakMb: number;
  readonly postgresPssGrowthPct: number;
  readonly loopDelayP99MaxMs: number;
  readonly lagMax: number;
  /** Events per second consumed over the whole soak. */
  readonly consumedPerSecond: number;
  readonly stopExitCode: number | null;
  readonly recount: Recount;
}

export interface Recount {
  /** Records read back from the log (everything the engine consumed). */
  readonly records: number;
  /** Windows compared (those past the watermark and the allowed lateness). */
  readonly windows: number;
  /** Events in those windows. */
  readonly events: number;
  /** (window, region) pairs where the log and the tables disagree. */
  readonly mismatches: readonly string[];
}

const SERVE_BIN = fileURLToPath(new URL('../../bin/streampulse.mjs', import.meta.url));

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const rate = options.ratePerSecond ?? 100_000;
  const sampleEveryMs = options.sampleEveryMs ?? 10_000;
  const warmupMs = options.warmupMs ?? 120_000;
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-soak-'));
  chmodSync(dataDir, 0o755); // the embedded database runs as the postgres user when we are root
  const windowMs = options.windowMs ?? 60_000;
  const allowedLatenessMs = options.allowedLatenessMs ?? 60_000;
  writeFileSync(
    join(dataDir, 'settings.json'),
    JSON.stringify({
      version: SETTINGS_VERSION,
      engine: { windowSizeMs: windowMs, allowedLatenessMs },
    }),
    { mode: 0o600 },
  );
  const child = spawn(
    process.execPath,
    [
      ...NODE_FLAGS, // as the streampulse command runs (its #! line)
      SERVE_BIN,
      'serve',
      ...['--port', '0', '--rate', String(rate), '--seed', 'soak'],
      ...['--late-fraction', String(options.lateFraction ?? 0.1)],
      ...['--late-by-ms', String(options.lateByMs ?? 90_000)],
      ...['--status-every', '0', '--data-dir', dataDir],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on(
      'data',
      (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)),
    );
    const url = await until(() => /dashboard at (\S+)/.exec(stdout)?.[1], 60_000).catch(() => {
      throw new Error(`serve did not start:\n${stderr}`);
    });
    const samples: SoakSample[] = [];
    const began = performance.now();
    const endAt = began + options.minutes * 60_000;
    for (let next = began; next <= endAt; next += sampleEveryMs) {
      await sleepUntil(next);
      if (child.exitCode !== null) throw new Error(`serve exited during the soak:\n${stderr}`);
      const sample = await takeSample(url, child.pid!, (performance.now() - began) / 1000);
      samples.push(sample);
      options.onSample?.(sample);
    }
    const stopExitCode = await stop(child);
    const warm = samples.filter((s) => s.atS * 1000 >= warmupMs);
    const steady = warm.length >= 2 ? warm : samples;
    const last = samples.at(-1)!;
    return {
      samples,
      serveRssPeakMb: Math.max(...samples.map((s) => s.serveRssMb)),
      serveRssGrowthPct: growthPct(steady.map((s) => [s.atS, s.serveRssMb])),
      postgresPssPeakMb: Math.max(...samples.map((s) => s.postgresPssMb)),
      postgresPssGrowthPct: growthPct(steady.map((s) => [s.atS, s.postgresPssMb])),
      loopDelayP99MaxMs: Math.max(...samples.map((s) => s.loopDelayP99Ms)),
      lagMax: Math.max(...samples.map((s) => s.lag)),
      consumedPerSecond: last.consumed / last.atS,
      stopExitCode,
      recount: await recountFromLog(dataDir, windowMs, allowedLatenessMs),
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function takeSample(url: string, pid: number, atS: number): Promise<SoakSample> {
  type Status = {
    data: {
      generator: { produced: number } | null;
      log: { partitions: Array<{ lag: number }> } | null;
      engine: { consumed: number } | null;
      mainThreadLoopDelay: { p99Ms: number };
    };
  };
  const { data } = (await (await fetch(`${url}api/pipeline/status`)).json()) as Status;
  return {
    atS,
    serveRssMb: rssKb(pid) / 1024,
    postgresPssMb:
      descendants(pid)
        .filter((p) => comm(p) === 'postgres')
        .reduce((sum, p) => sum + pssKb(p), 0) / 1024,
    produced: data.generator?.produced ?? 0,
    consumed: data.engine?.consumed ?? 0,
    lag: (data.log?.partitions ?? []).reduce((sum, p) => sum + p.lag, 0),
    loopDelayP99Ms: data.mainThreadLoopDelay.p99Ms,
  };
}

/** SIGTERM, as a service manager stops it: serve drains the engine and checkpoints. */
async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

/**
 * Reads back every record below the engine's checkpointed offsets and counts them per (window,
 * region); compares, for each window the engine can no longer change (its end plus the allowed
 * lateness at or before the checkpoint's watermark), with the region rows plus the late events.
 */
async function recountFromLog(
  dataDir: string,
  windowMs: number,
  allowedLatenessMs: number,
): Promise<Recount> {
  const database = await openDatabase({ kind: 'embedded', dataDir, logger: silentLogger });
  try {
    const checkpoint = await database.pool.query<{
      source_partition: number;
      next_offset: string;
      watermark: Date | null;
    }>('SELECT source_partition, next_offset, watermark FROM checkpoints');
    const watermark = Math.min(...checkpoint.rows.map((r) => r.watermark?.getTime() ?? -Infinity));

    const fromLog = new Map<string, number>();
    const codec = new DownloadEventCodec();
    const log = await EmbeddedEventLog.open({ dir: logDirOf(dataDir), readOnly: true });
    // The log's retention may have deleted its oldest segments in a long soak: only windows whose
    // events were all written after the first record kept are compared. That record's time is
    // about the newest event time at the start of what is kept (on-time events outnumber late).
    let keptFrom = -Infinity;
    let records = 0;
    try {
      const starts = await log.startOffsets();
      for (const row of checkpoint.rows) {
        const end = Number(row.next_offset);
        let offset = starts.find((s) => s.partition === row.source_partition)?.offset ?? 0;
        let first = true;
        while (offset < end) {
          const batch = await log.read(row.source_partition, offset, {
            maxRecords: Math.min(20_000, end - offset),
          });
          if (batch.nextOffset <= offset) throw new Error(`the log ends before offset ${end}`);
          let newest = -Infinity;
          for (const record of batch.records) {
            const event = codec.decode(record.value);
            newest = Math.max(newest, event.eventTime);
            const start = event.eventTime - (event.eventTime % windowMs);
            const key = `${start}|${event.region}`;
            fromLog.set(key, (fromLog.get(key) ?? 0) + 1);
          }
          if (first && offset > 0) keptFrom = Math.max(keptFrom, newest);
          first = false;
          records += batch.records.length;
          offset = batch.nextOffset;
        }
      }
    } finally {
      await log.close();
    }
    const settled = (windowStart: number): boolean =>
      windowStart >= keptFrom && windowStart + windowMs + allowedLatenessMs <= watermark;

    const fromTables = new Map<string, number>();
    const add = (start: Date, region: string, n: string): void => {
      const key = `${start.getTime()}|${region}`;
      fromTables.set(key, (fromTables.get(key) ?? 0) + Number(n));
    };
    for (const r of (
      await database.pool.query<{ window_start: Date; region: string; n: string }>(
        'SELECT window_start, region, SUM(total_downloads) AS n FROM region_health GROUP BY 1, 2',
      )
    ).rows)
      add(r.window_start, r.region, r.n);
    for (const r of (
      await database.pool.query<{ window_start: Date; region: string; n: string }>(
        'SELECT window_start, region, COUNT(*) AS n FROM late_events GROUP BY 1, 2',
      )
    ).rows)
      add(r.window_start, r.region, r.n);

    const mismatches: string[] = [];
    const windows = new Set<number>();
    let events = 0;
    for (const key of new Set([...fromLog.keys(), ...fromTables.keys()])) {
      const start = Number(key.split('|')[0]);
      if (!settled(start)) continue;
      windows.add(start);
      const counted = fromLog.get(key) ?? 0;
      events += counted;
      if (counted !== (fromTables.get(key) ?? 0))
        mismatches.push(`${key}: log ${counted}, tables ${fromTables.get(key) ?? 0}`);
    }
    return { records, windows: windows.size, events, mismatches };
  } finally {
    await database.close();
  }
}

/** Growth over the series as a % of its start, by the least-squares line through it. */
export function growthPct(points: ReadonlyArray<readonly [number, number]>): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const first = points[0]![0];
  const last = points[n - 1]![0];
  const atStart = my + slope * (first - mx);
  return atStart <= 0 ? 0 : ((slope * (last - first)) / atStart) * 100;
}

function rssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : 0;
}

/** Proportional set size: shared buffers are split among the processes that map them. */
function pssKb(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // a backend that exited between listing and reading
  }
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Every process below `root` in the process tree. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command name is in parentheses and may hold spaces: the ppid follows the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited meanwhile
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.pop()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

async function sleepUntil(at: number): Promise<void> {
  const ms = at - performance.now();
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}
