/**
 * The Flink engine against a real Flink cluster (`npm run flink:local`'s), a real Kafka broker
 * and embedded PostgreSQL: the same rows as the built-in engine, exactly once through a
 * TaskManager killed with SIGKILL, a live engine switch, and clear errors for bad settings.
 *
 * One cluster and one broker serve the whole file (each start takes seconds and ~1 GB); the
 * tests run in order. The job's jar must be built (`npm run flink:build`, part of `npm test`).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlinkEngine, FlinkEngineError } from '../../src/main/flink/flink-engine';
import { FlinkRest } from '../../src/main/flink/flink-rest';
import { flinkJobStatusSchema } from '../../src/shared/api/flink';
import { flinkJobJar } from '../../src/main/flink/flink-jar';
import { KafkaEventLog } from '../../src/main/log/kafka-event-log';
import type { ExportedEvent } from '../support/recount';
import { recount } from '../support/recount';
import { startFlinkCluster, type RunningFlinkCluster } from '../support/flink-cluster';
import {
  KAFKA_TEST_VERSIONS,
  recentEventTime,
  startKafkaBroker,
  type KafkaBroker,
} from '../support/kafka-broker';
import { builtinOverTopic, flinkContext, kafkaLog, openEmbedded } from '../support/flink-runs';
import { runCliInProcess } from '../support/run-cli-in-process';
import {
  countedDownloads,
  produced,
  startPipeline,
  waitForStatus,
} from '../support/running-pipeline';
import { dumpTables } from '../support/table-rows';
import { useTempDirs } from '../support/temp-dir';
import { tablesOf } from '../support/database-tables';

const tempDir = useTempDirs();
const version = KAFKA_TEST_VERSIONS[KAFKA_TEST_VERSIONS.length - 1]!;
const T0 = recentEventTime();

describe('the Flink engine', () => {
  let broker: KafkaBroker;
  let cluster: RunningFlinkCluster;

  beforeAll(async () => {
    expect(existsSync(flinkJobJar()), 'build the job first: npm run flink:build').toBe(true);
    [broker, cluster] = await Promise.all([
      startKafkaBroker({ version }),
      startFlinkCluster({ taskManagers: 1 }),
    ]);
  }, 600_000);
  afterAll(async () => {
    await cluster?.destroy();
    await broker?.destroy();
  });

  async function exported(topic: string): Promise<ExportedEvent[]> {
    const result = await runCliInProcess([
      'events',
      'export',
      '--kafka-brokers',
      broker.plaintext,
      '--kafka-topic',
      topic,
      '--data-dir',
      tempDir(),
    ]);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ExportedEvent);
  }

  it(
    'run --engine flink: every window final, the recount, and row for row the built-in engine',
    {
      timeout: 300_000,
    },
    async () => {
      const flinkDir = tempDir();
      const run = await runCliInProcess([
        'run',
        '--engine',
        'flink',
        '--flink-rest',
        cluster.restUrl,
        '--kafka-brokers',
        broker.plaintext,
        '--kafka-topic',
        'cross-check',
        '--events',
        '200000',
        '--seed',
        '7',
        '--start',
        new Date(T0).toISOString(),
        '--virtual-rate',
        '500',
        '--failed',
        '0.12',
        '--late-fraction',
        '0.01',
        '--late-by-ms',
        '90000',
        '--data-dir',
        flinkDir,
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(
        /200,000 events \(seed 7\): [\d,]+ counted in windows of 60 s, [1-9][\d,]* late/,
      );

      // The built-in engine over the same topic, into its own database.
      let late = new Set<string>();
      const builtinDir = tempDir();
      const builtin = await openEmbedded(builtinDir);
      const flinkDb = await openEmbedded(flinkDir);
      try {
        await builtinOverTopic(kafkaLog(broker.plaintext, 'cross-check'), builtin);
        const [ours, theirs] = await Promise.all([
          dumpTables(builtin.pool),
          dumpTables(flinkDb.pool),
        ]);
        expect(theirs.region_health!.length).toBeGreaterThan(20);
        expect(theirs.late_events!.length).toBeGreaterThan(0);
        expect(theirs.alerts!.length, 'the failure mix raises alerts').toBeGreaterThan(0);
        for (const table of Object.keys(ours)) expect(theirs[table], table).toEqual(ours[table]);
        const aside = await flinkDb.pool.query<{ p: number; o: string }>(
          'SELECT source_partition AS p, source_offset::text AS o FROM late_events',
        );
        late = new Set(aside.rows.map((r) => `${r.p}:${r.o}`));
      } finally {
        await builtin.close();
        await flinkDb.close();
      }

      // And the recount of the exported events, less the late ones the tables keep aside.
      const tables = await tablesOf(flinkDir);
      const counted = recount(
        (await exported('cross-check')).filter((e) => !late.has(`${e.partition}:${e.offset}`)),
        60_000,
      );
      expect([...tables.region.keys()].sort()).toEqual([...counted.region.keys()].sort());
      for (const [key, c] of counted.region) {
        const row = tables.region.get(key)!;
        expect([row.total, row.successful, row.failed, row.slow], key).toEqual([
          c.total,
          c.successful,
          c.failed,
          c.slow,
        ]);
      }
    },
  );

  it(
    'a TaskManager killed with SIGKILL mid-run, another started: the job recovers, exactly',
    {
      timeout: 300_000,
    },
    async () => {
      const topic = 'tm-kill';
      const generate = await runCliInProcess([
        'generate',
        '--events',
        // Enough that the job is surely still reading when the TaskManager is killed (~2 s in):
        // a quiet machine reads ~300,000 events/s.
        '3000000',
        '--seed',
        '11',
        '--start',
        new Date(T0).toISOString(),
        '--kafka-brokers',
        broker.plaintext,
        '--kafka-topic',
        topic,
        '--data-dir',
        tempDir(),
      ]);
      expect(generate.code, generate.stderr).toBe(0);
      // A record that does not decode: a dead letter on both sides, and the job goes on.
      const log = await KafkaEventLog.open(
        { brokers: [broker.plaintext] },
        kafkaLog(broker.plaintext, topic).topic,
      );
      const garbage = Buffer.from('not an avro download event');
      await log.append({
        count: 1,
        keys: ['EU-London'],
        timestamps: [T0 + 3_600_000],
        values: garbage,
        valueEnds: [garbage.length],
      });
      await log.close();

      const flinkDb = await openEmbedded(tempDir());
      const builtin = await openEmbedded(tempDir());
      try {
        const engine = new FlinkEngine(
          flinkContext(kafkaLog(broker.plaintext, topic), flinkDb, {
            restUrl: cluster.restUrl,
            parallelism: 2,
            checkpointIntervalMs: 1_000,
          }),
          { restUrl: cluster.restUrl, parallelism: 2, checkpointIntervalMs: 1_000 },
          { bounded: { startingOffsets: { 0: 0, 1: 0, 2: 0 } } },
        );
        await engine.start();
        const status = () =>
          engine.view().status as import('../../src/shared/api/flink').FlinkJobStatus;
        const victim = cluster.taskManagers[0]!;
        // Mid-run: a checkpoint is done (there is state to restore) and the job is still reading.
        await expect
          .poll(() => status().checkpoints.completed, { timeout: 60_000, interval: 100 })
          .toBeGreaterThan(0);
        expect(status().state).toBe('running');
        await cluster.killTaskManager(victim.id);
        await cluster.addTaskManager();
        const done = await engine.finished(180_000);
        expect(done.restarts, 'the restart shows in the status').toBeGreaterThanOrEqual(1);

        await builtinOverTopic(kafkaLog(broker.plaintext, topic), builtin);
        const [ours, theirs] = await Promise.all([
          dumpTables(builtin.pool),
          dumpTables(flinkDb.pool),
        ]);
        expect(theirs.dead_letters).toHaveLength(1);
        for (const table of Object.keys(ours)) expect(theirs[table], table).toEqual(ours[table]);
      } finally {
        await flinkDb.close();
        await builtin.close();
      }
    },
  );

  it(
    'switches built-in → Flink → built-in → Flink (from its savepoint) → built-in while running: every produced event counted once',
    {
      timeout: 300_000,
    },
    async () => {
      const flink = { restUrl: cluster.restUrl, parallelism: 2, checkpointIntervalMs: 1_000 };
      const { pipeline, started } = startPipeline({
        dataDir: tempDir(),
        log: kafkaLog(broker.plaintext, 'engine-switch'),
        flink,
        ratePerSecond: 1000,
      });
      try {
        await started;
        await waitForStatus(pipeline, (s) => (s.engine?.consumed ?? 0) > 3000);
        const newestWindow = async (): Promise<number> => {
          const { rows } = await pipeline.pool.query<{ t: Date | null }>(
            'SELECT max(window_start) AS t FROM region_health',
          );
          return rows[0]?.t?.getTime() ?? 0;
        };

        await pipeline.switchEngine('flink', flink);
        expect(pipeline.status()).toMatchObject({ engineKind: 'flink', engine: null });
        const atSwitch = await newestWindow();
        // The job does the work: its checkpoints write windows the built-in engine never closed.
        await expect
          .poll(
            async () =>
              (pipeline.status().flink?.checkpoints.completed ?? 0) >= 2 &&
              (await newestWindow()) > atSwitch,
            { timeout: 90_000, interval: 250 },
          )
          .toBe(true)
          .catch((error: unknown) => {
            throw new Error(`${String(error)}: ${JSON.stringify(pipeline.status().flink)}`);
          });
        expect(pipeline.status().flink).toMatchObject({ state: 'running', restarts: 0 });
        // What /api/pipeline/status serves for it, by its schema.
        const view = flinkJobStatusSchema.strict().parse(pipeline.status().flink);
        expect(view.operators.length).toBeGreaterThan(0);
        // The JobManager fetches the TaskManagers' metrics every 10 s (by default), and a fetch
        // can miss: the counts come within a few of those.
        await expect
          .poll(() => pipeline.status().flink?.operators.some((op) => op.recordsOut > 0) ?? false, {
            timeout: 60_000,
          })
          .toBe(true);

        await pipeline.switchEngine('builtin', flink);
        const saved = await pipeline.pool.query<{ savepoint_path: string | null }>(
          'SELECT savepoint_path FROM flink_jobs',
        );
        expect(saved.rows[0]?.savepoint_path).toMatch(/savepoint-/);
        await waitForStatus(pipeline, (s) => (s.engine?.consumed ?? 0) > 2000);

        // Back on Flink: the job resumes from its savepoint and catches up.
        await pipeline.switchEngine('flink', flink);
        expect(pipeline.status().flink?.restoredFrom).toBe(saved.rows[0]!.savepoint_path);
        await expect
          .poll(() => pipeline.status().flink?.checkpoints.completed ?? 0, { timeout: 60_000 })
          .toBeGreaterThan(0);
        await pipeline.switchEngine('builtin', flink);
        // Paused, and the built-in engine has caught up with the whole log (its `consumed`
        // counts from its restart, so the lag says it).
        await pipeline.control({ kind: 'pause' });
        const status = await waitForStatus(
          pipeline,
          (s) =>
            s.generator?.paused === true &&
            s.engine !== null &&
            s.engine.consumed > 0 &&
            s.engine.lag.every((lag) => lag === 0),
          120_000,
        );
        // The tables and the engine's open windows are read at two moments: read both again
        // until they agree (a checkpoint may be committing in between).
        await expect
          .poll(() => countedDownloads(pipeline.pool, pipeline.status()), { timeout: 30_000 })
          .toBe(produced(status));
      } finally {
        await pipeline.stop();
      }
    },
  );

  it('says what is wrong within seconds: no cluster, the embedded log, a job that cannot start', async () => {
    // Nothing listens there.
    const closed = await runCliInProcess([
      'run',
      '--engine',
      'flink',
      '--flink-rest',
      'http://127.0.0.1:9',
      '--kafka-brokers',
      broker.plaintext,
      '--kafka-topic',
      'no-cluster',
      '--events',
      '100',
      '--start',
      new Date(T0).toISOString(),
      '--data-dir',
      tempDir(),
    ]);
    expect(closed.code).not.toBe(0);
    expect(closed.stderr).toContain('the Flink JobManager at http://127.0.0.1:9 is unreachable');

    // Flink reads Kafka: the embedded log is refused before anything is written.
    const embedded = await runCliInProcess([
      'run',
      '--engine',
      'flink',
      '--flink-rest',
      cluster.restUrl,
      '--events',
      '100',
      '--start',
      new Date(T0).toISOString(),
      '--data-dir',
      tempDir(),
    ]);
    expect(embedded.code).toBe(2);
    const serve = await runCliInProcess([
      'serve',
      '--engine',
      'flink',
      '--flink-rest',
      cluster.restUrl,
      '--data-dir',
      tempDir(),
    ]);
    expect(serve.code).toBe(2);
    expect(serve.stderr).toMatch(/--engine flink reads the events from Apache Kafka/);
    expect(embedded.stderr).toMatch(
      /--engine flink reads the events from Apache Kafka: add --kafka-brokers/,
    );

    // A job that fails as it starts (the database refuses its password): Flink's reason, and no
    // job left behind restarting forever.
    const db = await openEmbedded(tempDir());
    try {
      const wrong = {
        ...db,
        connection: { ...db.connection, password: 'not-the-password' },
      } as typeof db;
      const settings = { restUrl: cluster.restUrl, parallelism: 1, checkpointIntervalMs: 5_000 };
      const engine = new FlinkEngine(
        flinkContext(kafkaLog(broker.plaintext, 'cross-check'), wrong, settings),
        settings,
      );
      const began = Date.now();
      const error = await engine.start().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(FlinkEngineError);
      expect((error as Error).message).toMatch(
        /the Flink job did not start: .*password authentication failed/,
      );
      expect(Date.now() - began).toBeLessThan(30_000);
      const jobs = await new FlinkRest(cluster.restUrl).jobs();
      expect(jobs.filter((j) => ['RUNNING', 'RESTARTING', 'CREATED'].includes(j.state))).toEqual(
        [],
      );
    } finally {
      await db.close();
    }
  });
});
