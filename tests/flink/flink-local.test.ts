/**
 * The local Flink cluster (scripts/flink/cluster.mjs, `npm run flink:local`) with real JVMs: a
 * JobManager and TaskManagers that register, a TaskManager added and one killed, a stop that
 * leaves no JVM behind; and the CLI's start, SIGTERM and bad input. The first run downloads the
 * cluster's jars (~84 MiB, cached in ~/.cache/streampulse/flink).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  flinkRest,
  pidAlive,
  startFlinkCluster,
  type RunningFlinkCluster,
} from '../support/flink-cluster';
import { useTempDirs } from '../support/temp-dir';

/** A cold cache first downloads the jars with Maven. */
const START_TIMEOUT = 300_000;
const CLI = fileURLToPath(new URL('../../scripts/flink-local.mjs', import.meta.url));

interface Overview {
  taskmanagers: number;
  'slots-total': number;
}

async function taskManagerIds(cluster: RunningFlinkCluster): Promise<string[]> {
  const body = await flinkRest<{ taskmanagers: Array<{ id: string }> }>(cluster, '/taskmanagers');
  return body.taskmanagers.map((tm) => tm.id);
}

/** The JVM pids the cluster in `dataDir` wrote (log/<name>.pid). */
function jvmPids(dataDir: string): number[] {
  const logDir = join(dataDir, 'log');
  return readdirSync(logDir)
    .filter((file) => file.endsWith('.pid'))
    .map((file) => Number(readFileSync(join(logDir, file), 'utf8').trim()));
}

const mb = (bytes: number | null) => `${Math.round((bytes ?? 0) / 1024 / 1024)} MiB`;

describe('a local Flink cluster, started from code', () => {
  let cluster: RunningFlinkCluster;
  const everyPid = new Set<number>();

  beforeAll(async () => {
    cluster = await startFlinkCluster({ taskManagers: 1 });
    const rss = cluster.rss();
    console.log(
      `Flink ${cluster.version}: ready in ${cluster.startMs} ms (${cluster.restUrl}); RSS ` +
        `JobManager ${mb(rss.jobManager)}, tm-1 ${mb(rss.taskManagers['tm-1'] ?? null)}`,
    );
  }, START_TIMEOUT);

  afterAll(async () => {
    await cluster?.destroy();
  });

  it('starts one TaskManager with two slots, as /overview reports', async () => {
    const overview = await flinkRest<Overview>(cluster, '/overview');
    expect(overview.taskmanagers).toBe(1);
    expect(overview['slots-total']).toBe(2);
    expect(cluster.taskManagers.map((tm) => tm.id)).toEqual(['tm-1']);
    expect(await taskManagerIds(cluster)).toEqual(['tm-1']);
    for (const pid of [cluster.jobManager.pid, ...cluster.taskManagers.map((tm) => tm.pid)]) {
      expect(pidAlive(pid)).toBe(true);
      everyPid.add(pid);
    }
    expect(cluster.rss().jobManager).toBeGreaterThan(50 * 1024 * 1024);
  });

  it('addTaskManager() brings a second TaskManager: two listed, four slots', async () => {
    const added = await cluster.addTaskManager();
    everyPid.add(added.pid);
    expect(added.id).toBe('tm-2');
    const overview = await flinkRest<Overview>(cluster, '/overview');
    expect(overview.taskmanagers).toBe(2);
    expect(overview['slots-total']).toBe(4);
    expect((await taskManagerIds(cluster)).sort()).toEqual(['tm-1', 'tm-2']);
  });

  it('a TaskManager killed with SIGKILL leaves /taskmanagers within 15 s (10 s heartbeat timeout)', async () => {
    const victim = cluster.taskManagers.find((tm) => tm.id === 'tm-2')!;
    const killedAt = Date.now();
    await cluster.killTaskManager('tm-2');
    expect(pidAlive(victim.pid)).toBe(false);
    await vi.waitFor(async () => expect(await taskManagerIds(cluster)).toEqual(['tm-1']), {
      timeout: 15_000,
      interval: 200,
    });
    console.log(`tm-2 left /taskmanagers ${Date.now() - killedAt} ms after its SIGKILL`);
    expect(cluster.taskManagers.map((tm) => tm.id)).toEqual(['tm-1']);
  });

  it('stop() stops every JVM it started, the killed and added ones included', async () => {
    for (const pid of jvmPids(cluster.dataDir)) everyPid.add(pid);
    expect(everyPid.size).toBe(3); // the JobManager, tm-1, tm-2
    await cluster.stop();
    expect([...everyPid].filter(pidAlive)).toEqual([]);
  });
});

describe('npm run flink:local (the CLI)', () => {
  const tempDir = useTempDirs();

  it(
    'start prints the ready banner and the JobManager REST line; SIGTERM stops every JVM, exit 0',
    async () => {
      const dataDir = tempDir();
      const child = spawn(process.execPath, [CLI, 'start', '--data-dir', dataDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
      try {
        await vi.waitFor(
          () => {
            if (child.exitCode !== null) throw new Error(`start exited early:\n${output}`);
            expect(output).toMatch(/is ready/);
            expect(output).toMatch(/^JobManager REST http:\/\/127\.0\.0\.1:\d+$/m);
          },
          { timeout: START_TIMEOUT, interval: 200 },
        );
        const restUrl = /^JobManager REST (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)![1]!;
        expect(output).toContain(`data in ${dataDir}`);
        const overview = await flinkRest<Overview>({ restUrl }, '/overview');
        expect(overview).toMatchObject({ taskmanagers: 1, 'slots-total': 2 });
        const pids = jvmPids(dataDir);
        expect(pids).toHaveLength(2);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        expect(pids.filter(pidAlive)).toEqual([]);
      } finally {
        // The JVMs' watchdogs stop them when this pipe's writer (the CLI) is gone.
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
    START_TIMEOUT,
  );

  it.each([
    [['start', '--task-managers', '0'], /--task-managers must be a whole number of at least 1/],
    [['start', '--slots', 'two'], /--slots must be a whole number of at least 1 \(got "two"\)/],
    [['start', '--bogus'], /Unknown option '--bogus'/],
    [['add-task-manager'], /add-task-manager needs --data-dir DIR/],
  ])('%j is refused with exit 2 and a clear message', (args, message) => {
    const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Usage: node scripts/flink-local.mjs');
  });
});
