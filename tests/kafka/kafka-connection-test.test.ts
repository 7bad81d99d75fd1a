/**
 * "Test connection" against real brokers (3.9 and 4.x): an existing topic, a missing one, SASL_SSL
 * with the right and a wrong password, TLS against the plaintext port, TLS without the CA, a port
 * with nothing listening, a topic that does not match the settings, and (on the broker restarted
 * with an authorizer) a user without rights on the topic.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  AclOperations,
  AclPermissionTypes,
  Admin,
  ResourcePatternTypes,
  ResourceTypes,
  type BaseOptions,
} from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fetchKafka } from '../../scripts/kafka/broker.mjs';
import { testKafkaConnection } from '../../src/main/log/kafka-connection-test';
import { KafkaEventLog } from '../../src/main/log/kafka-event-log';
import { DEFAULT_KAFKA_TOPIC, type KafkaConnection } from '../../src/main/log/kafka-settings';
import { KAFKA_TEST_VERSIONS, startKafkaBroker, type KafkaBroker } from '../support/kafka-broker';

/** An admin client on the PLAINTEXT listener (no authentication: a super user with the authorizer). */
function plaintextAdmin(broker: KafkaBroker, options: Partial<BaseOptions> = {}): Admin {
  return new Admin({
    clientId: 'connection-test-fixture',
    bootstrapBrokers: [broker.plaintext],
    connectTimeout: 5_000,
    requestTimeout: 15_000,
    retries: 3,
    retryDelay: 250,
    ...options,
  });
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts the fixture's broker (stopped) again on its data dir with an authorizer
 * (StandardAuthorizer): the broker's own listeners (PLAINTEXT, CONTROLLER: principal ANONYMOUS)
 * are super users, the SCRAM user has no ACLs. The JVM runs under `sh`, which stops it when its
 * stdin (a pipe from this process) closes.
 */
async function startWithAuthorizer(broker: KafkaBroker): Promise<() => Promise<void>> {
  const { classpath } = await fetchKafka(broker.version);
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const child: ChildProcess = spawn(
    'sh',
    [
      '-c',
      '"$@" >/dev/null 2>&1 & pid=$!; cat >/dev/null; kill $pid; wait $pid',
      'kafka-acl',
      java,
      '-Xmx512m',
      '-cp',
      classpath,
      'kafka.Kafka',
      join(broker.dataDir, 'config', 'server.properties'),
      '--override',
      'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      '--override',
      'super.users=User:ANONYMOUS',
    ],
    { stdio: ['pipe', 'ignore', 'ignore'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    child.stdin?.end();
    await exited;
  };
  // Ready once the metadata lists the broker (polled; no retries inside the client).
  const until = Date.now() + 60_000;
  for (;;) {
    const admin = plaintextAdmin(broker, {
      connectTimeout: 2_000,
      requestTimeout: 5_000,
      retries: 0,
    });
    try {
      const cluster = await admin.metadata({ topics: [], forceUpdate: true });
      if (cluster.brokers.size === 0) throw new Error('no brokers in the metadata yet');
      return stop;
    } catch (error) {
      if (Date.now() > until || child.exitCode !== null) {
        await stop();
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await admin.close().catch(() => undefined);
    }
  }
}

describe.each(KAFKA_TEST_VERSIONS)('testKafkaConnection on Apache Kafka %s', (version) => {
  let broker: KafkaBroker;
  const plaintext = (): KafkaConnection => ({ brokers: [broker.plaintext] });
  const saslSsl = (password: string, ca: string | null = broker.caPem): KafkaConnection => ({
    brokers: [broker.saslSsl],
    tls: ca ? { ca } : {},
    sasl: { mechanism: 'scram-sha-256', username: broker.scram.username, password },
  });
  const topic = (name: string, partitions = 3) => ({ topic: name, partitions });

  beforeAll(async () => {
    broker = await startKafkaBroker({ version });
    // A topic as the log creates it.
    const log = await KafkaEventLog.open(
      plaintext(),
      { ...DEFAULT_KAFKA_TOPIC, topic: 'existing', partitioner: 'region' },
      { consume: false },
    );
    await log.close();
  }, 300_000);
  afterAll(async () => {
    await broker?.destroy();
  });

  it('is ok for an existing topic that matches, naming brokers, topic and partitions', async () => {
    const result = await testKafkaConnection(plaintext(), topic('existing'));
    expect(result).toMatchObject({ ok: true, problem: null });
    expect(result.message).toMatch(
      new RegExp(
        `Connected to 1 broker \\(${broker.plaintext}\\).*"existing" exists with 3 partitions`,
      ),
    );
    expect(result.elapsedMs).toBeLessThan(5000);
  });

  it('is ok for a missing topic, which will be created, and does not create it', async () => {
    const result = await testKafkaConnection(plaintext(), topic('not-yet', 4));
    expect(result).toMatchObject({ ok: true, problem: null });
    expect(result.message).toMatch(
      /"not-yet" does not exist yet and will be created with 4 partitions/,
    );
    const admin = plaintextAdmin(broker);
    try {
      expect(await admin.listTopics()).not.toContain('not-yet');
    } finally {
      await admin.close();
    }
  });

  it('reports a topic whose partitions differ from the settings, as the log would refuse it', async () => {
    const result = await testKafkaConnection(plaintext(), topic('existing', 6));
    expect(result).toMatchObject({ ok: false, problem: 'topic' });
    expect(result.message).toMatch(
      /topic "existing" exists but does not match: it has 3 partitions, the settings say 6/,
    );
    // The same words as the log's own refusal.
    const refused = await KafkaEventLog.open(
      plaintext(),
      { ...DEFAULT_KAFKA_TOPIC, topic: 'existing', partitions: 6, partitioner: 'region' },
      { consume: false },
    ).catch((err: unknown) => err as Error);
    expect(result.message).toContain((refused as Error).message);
  });

  it('reports a topic whose retention differs from the settings', async () => {
    const admin = plaintextAdmin(broker);
    try {
      await admin.createTopics({
        topics: ['short-retention'],
        partitions: 3,
        replicas: 1,
        configs: [{ name: 'retention.ms', value: '3600000' }],
      });
    } finally {
      await admin.close();
    }
    const result = await testKafkaConnection(plaintext(), topic('short-retention'));
    expect(result).toMatchObject({ ok: false, problem: 'topic' });
    expect(result.message).toMatch(/its retention.ms is 3600000, the settings say 604800000/);
  });

  it('checks a topic created a moment ago that the broker does not list yet, not calling it hidden', async () => {
    // Under load a broker's topic list lags the controller by a moment after a create (CI saw
    // it): the list omits the topic while a create says it exists. Replay that lag once.
    const admin = plaintextAdmin(broker);
    try {
      await admin.createTopics({
        topics: ['lagging-retention'],
        partitions: 3,
        replicas: 1,
        configs: [{ name: 'retention.ms', value: '3600000' }],
      });
    } finally {
      await admin.close();
    }
    const listTopics = vi.spyOn(Admin.prototype, 'listTopics').mockResolvedValueOnce([] as never);
    try {
      const matching = await testKafkaConnection(plaintext(), topic('existing'));
      expect(listTopics).toHaveBeenCalled();
      expect(matching).toMatchObject({ ok: true, problem: null });
      listTopics.mockResolvedValueOnce([] as never);
      const differing = await testKafkaConnection(plaintext(), topic('lagging-retention'));
      expect(differing).toMatchObject({ ok: false, problem: 'topic' });
      expect(differing.message).toMatch(/its retention.ms is 3600000/);
      // The log, opening on the same lagging list, refuses the topic as it refuses a listed one.
      listTopics.mockResolvedValueOnce([] as never);
      const refused = await KafkaEventLog.open(
        plaintext(),
        {
          ...DEFAULT_KAFKA_TOPIC,
          topic: 'lagging-retention',
          partitions: 3,
          partitioner: 'region',
        },
        { consume: false },
      ).catch((err: unknown) => err as Error);
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).message).toMatch(/its retention.ms is 3600000/);
    } finally {
      listTopics.mockRestore();
    }
  });

  it('is ok over SASL_SSL with the right SCRAM password and the CA', async () => {
    const result = await testKafkaConnection(saslSsl(broker.scram.password), topic('existing'));
    expect(result).toMatchObject({ ok: true, problem: null });
    expect(result.message).toContain(broker.saslSsl);
    expect(result.message).not.toContain(broker.scram.password);
  });

  it('says authentication for a wrong password, without the password', async () => {
    const password = 'wrong-Passw0rd-xyz';
    const result = await testKafkaConnection(saslSsl(password), topic('existing'));
    expect(result).toMatchObject({ ok: false, problem: 'authentication' });
    expect(result.message).toMatch(/authentication failed for user "streampulse"/);
    expect(result.message).not.toContain(password);
    expect(result.message).not.toContain(broker.scram.password);
  });

  it('says tls for TLS on against the plaintext port', async () => {
    const result = await testKafkaConnection(
      { brokers: [broker.plaintext], tls: { ca: broker.caPem } },
      topic('existing'),
    );
    expect(result).toMatchObject({ ok: false, problem: 'tls' });
    expect(result.message).toMatch(/TLS/);
    expect(result.elapsedMs).toBeLessThan(15_000);
  }, 30_000);

  it('says tls-required for TLS off against the SASL_SSL port', async () => {
    const result = await testKafkaConnection(
      { ...saslSsl(broker.scram.password), tls: false },
      topic('existing'),
    );
    expect(result).toMatchObject({ ok: false, problem: 'tls-required' });
    expect(result.message).toMatch(/expects TLS: turn TLS on/);
  }, 30_000);

  it('says tls for TLS without the CA against the SASL_SSL port', async () => {
    const result = await testKafkaConnection(saslSsl(broker.scram.password, null), topic('x'));
    expect(result).toMatchObject({ ok: false, problem: 'tls' });
    expect(result.message).toMatch(/CA certificate/);
    expect(result.message).not.toContain(broker.scram.password);
  });

  it('says unreachable, within seconds, for a port with nothing listening', async () => {
    const address = `127.0.0.1:${await closedPort()}`;
    const result = await testKafkaConnection({ brokers: [address] }, topic('existing'));
    expect(result).toMatchObject({ ok: false, problem: 'unreachable' });
    expect(result.message).toContain(`cannot reach ${address}`);
    expect(result.elapsedMs).toBeLessThan(5000);
  }, 30_000);

  it('says so, within its deadline, when a listener accepts but never answers', async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const result = await testKafkaConnection(
        { brokers: [`127.0.0.1:${port}`] },
        topic('existing'),
        { timeoutMs: 3000 },
      );
      expect(result).toMatchObject({ ok: false, problem: 'unreachable' });
      expect(result.message).toMatch(/accepted the connection but did not answer Kafka requests/);
      expect(result.elapsedMs).toBeLessThanOrEqual(3500);
    } finally {
      server.close();
    }
  }, 30_000);

  it('says authorization for a user without rights on the topic (authorizer on)', async () => {
    await broker.stop();
    const stop = await startWithAuthorizer(broker);
    try {
      const result = await testKafkaConnection(saslSsl(broker.scram.password), topic('existing'));
      expect(result).toMatchObject({ ok: false, problem: 'authorization' });
      expect(result.message).toMatch(/not allowed to use topic "existing"/);
      const missing = await testKafkaConnection(saslSsl(broker.scram.password), topic('absent'));
      expect(missing).toMatchObject({ ok: false, problem: 'authorization' });

      // With describe and describe-configs on the topic (granted by the super user), it is ok.
      const admin = plaintextAdmin(broker);
      try {
        await admin.createAcls({
          creations: [AclOperations.DESCRIBE, AclOperations.DESCRIBE_CONFIGS].map((operation) => ({
            resourceType: ResourceTypes.TOPIC,
            resourceName: 'existing',
            resourcePatternType: ResourcePatternTypes.LITERAL,
            principal: `User:${broker.scram.username}`,
            host: '*',
            operation,
            permissionType: AclPermissionTypes.ALLOW,
          })),
        });
      } finally {
        await admin.close();
      }
      const allowed = await testKafkaConnection(saslSsl(broker.scram.password), topic('existing'));
      expect(allowed).toMatchObject({ ok: true, problem: null });
    } finally {
      // The last test: it leaves the broker stopped (afterAll removes it).
      await stop();
    }
  }, 120_000);
});
