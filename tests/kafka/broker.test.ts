/**
 * @platformatic/kafka against real Kafka brokers, 3.9 and 4.x (KRaft, started by
 * tests/support/kafka-broker.ts): the calls the KafkaEventLog relies on, over PLAINTEXT and over
 * SASL_SSL with SCRAM. The first run of each version downloads its jars (~45 MiB, cached).
 */
import { randomUUID } from 'node:crypto';
import {
  Admin,
  AuthenticationError,
  ConfigSources,
  ConfigResourceTypes,
  Consumer,
  ListOffsetTimestamps,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  type BaseOptions,
  type MessagesStream,
  type Partitioner,
} from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  KAFKA_TEST_VERSIONS,
  kafkaClientConfig,
  startKafkaBroker,
  type KafkaBroker,
} from '../support/kafka-broker';

/** Starting a broker includes, on a cold cache, downloading its jars with Maven. */
const START_TIMEOUT = 300_000;
const TEST_TIMEOUT = 120_000;

/**
 * Region keys → partitions, like the app's `region` partitioner: by area first. The client calls
 * a partitioner only for messages without an explicit `partition`, and takes the result modulo
 * the partition count.
 */
const AREAS = ['US', 'EU', 'ASIA'];
const regionPartitioner: Partitioner<Buffer, Buffer, Buffer, Buffer> = (_message, key) => {
  const area = (key?.toString() ?? '').split('-')[0] ?? '';
  return Math.max(0, AREAS.indexOf(area));
};

interface Received {
  partition: number;
  offset: bigint;
  key: string;
  value: string;
  timestamp: bigint;
}

/** An error and everything it wraps (`errors` of aggregates, and `cause`s), outermost first. */
function errorChain(
  error: unknown,
): Array<Error & { apiId?: string; serverErrorMessage?: string }> {
  const chain: Array<Error & { apiId?: string; serverErrorMessage?: string }> = [];
  const pending: unknown[] = [error];
  while (pending.length > 0 && chain.length < 64) {
    const e = pending.shift();
    if (!(e instanceof Error)) continue;
    chain.push(e);
    const { errors, cause } = e as Error & { errors?: unknown; cause?: unknown };
    pending.push(...(Array.isArray(errors) ? errors : []), cause);
  }
  return chain;
}

/** The broker's error codes (ProtocolError apiIds) in an error, e.g. 'INVALID_CONFIG'. */
const apiIds = (error: unknown): string =>
  [...new Set(errorChain(error).flatMap((e) => (e.apiId ? [e.apiId] : [])))].join();

const bytes = (text: string): Buffer => Buffer.from(text);

describe.each(KAFKA_TEST_VERSIONS)('@platformatic/kafka against Kafka %s', (version) => {
  let broker: KafkaBroker;
  /** Closes every client a test made, also those a failed test left open. */
  const closers: Array<() => Promise<void>> = [];
  const track = <T extends Admin | Producer | Consumer>(client: T): T => {
    // force: a producer or consumer with a stream still open (a failed test) closes anyway.
    closers.push(() => (client instanceof Admin ? client.close() : client.close(true)));
    return client;
  };

  const plaintext = (): BaseOptions => kafkaClientConfig(broker, 'plaintext');
  const saslSsl = (): BaseOptions => kafkaClientConfig(broker, 'sasl_ssl');
  const admin = (options: BaseOptions): Admin => track(new Admin(options));
  /**
   * An idempotent producer (acks -1, one request in flight). Retries are explicit: with the
   * default, an idempotent producer retries forever.
   */
  const producer = (
    options: BaseOptions,
    partitioner?: Partitioner<Buffer, Buffer, Buffer, Buffer>,
  ): Producer =>
    track(
      new Producer({
        ...options,
        idempotent: true,
        acks: ProduceAcks.ALL,
        retries: 3,
        ...(partitioner ? { partitioner } : {}),
      }),
    );
  /** Waits (with a deadline) until every partition of `topic` has a leader. */
  const waitForLeaders = async (client: Admin, topic: string): Promise<void> => {
    await vi.waitFor(
      async () => {
        const metadata = await client.metadata({ topics: [topic], forceUpdate: true });
        const partitions = metadata.topics.get(topic)?.partitions ?? [];
        expect(partitions.length).toBeGreaterThan(0);
        expect(partitions.every((p) => p.leader >= 0)).toBe(true);
      },
      { timeout: 30_000, interval: 50 },
    );
  };
  const newTopic = async (client: Admin, partitions: number): Promise<string> => {
    const topic = `t-${randomUUID()}`;
    const created = await client.createTopics({ topics: [topic], partitions, replicas: 1 });
    expect(created).toEqual([expect.objectContaining({ name: topic, partitions, replicas: 1 })]);
    await waitForLeaders(client, topic);
    return topic;
  };
  /**
   * A consumer of `groupId` that resumes from the group's committed offsets, or reads from the
   * beginning where it has none; runs until it has `count` records. Commits are left to the test.
   */
  const consume = async (
    options: BaseOptions,
    groupId: string,
    topic: string,
    count: number,
  ): Promise<{
    consumer: Consumer;
    stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>;
    received: Received[];
  }> => {
    // maxWaitTime: closing waits for the fetch in flight (a long poll, 5 s by default).
    const consumer = track(new Consumer({ ...options, groupId, maxWaitTime: 100 }));
    const stream = await consumer.consume({
      topics: [topic],
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: MessagesStreamFallbackModes.EARLIEST,
      autocommit: false,
    });
    const received: Received[] = [];
    const failures: unknown[] = [];
    stream.on('error', (error) => failures.push(error));
    stream.on('data', (message) => {
      received.push({
        partition: message.partition,
        offset: message.offset,
        key: message.key?.toString() ?? '',
        value: message.value?.toString() ?? '',
        timestamp: message.timestamp,
      });
    });
    await vi.waitFor(
      () => {
        expect(failures).toEqual([]);
        expect(received.length).toBeGreaterThanOrEqual(count);
      },
      { timeout: 60_000, interval: 25 },
    );
    return { consumer, stream, received };
  };
  /** Closes a stream, then its consumer (which leaves the group). */
  const stopConsuming = async ({
    consumer,
    stream,
  }: {
    consumer: Consumer;
    stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>;
  }): Promise<void> => {
    await stream.close();
    await consumer.close();
  };
  const listOffsets = async (
    client: Admin,
    topic: string,
    partitions: number[],
    timestamp: bigint,
  ): Promise<Array<[number, bigint]>> => {
    const [listed] = await client.listOffsets({
      topics: [
        {
          name: topic,
          partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })),
        },
      ],
    });
    return listed!.partitions
      .map((p): [number, bigint] => [p.partitionIndex, p.offset])
      .sort((a, b) => a[0] - b[0]);
  };
  const committedOffsets = async (
    client: Admin,
    groupId: string,
    topic: string,
  ): Promise<Array<[number, bigint]>> => {
    const [group] = await client.listConsumerGroupOffsets({ groups: [groupId] });
    return (group?.topics.find((t) => t.name === topic)?.partitions ?? [])
      .map((p): [number, bigint] => [p.partitionIndex, p.committedOffset])
      .sort((a, b) => a[0] - b[0]);
  };

  beforeAll(async () => {
    broker = await startKafkaBroker({ version });
    console.info(`Kafka ${version}: ready in ${broker.startMs} ms (${broker.plaintext})`);
  }, START_TIMEOUT);

  afterAll(async () => {
    for (const close of closers.splice(0)) await close().catch(() => {});
    await broker?.destroy();
  }, 60_000);

  it(
    'creates a topic and describes its configs (admin)',
    async () => {
      const client = admin(plaintext());
      const topic = `t-${randomUUID()}`;
      const created = await client.createTopics({
        topics: [topic],
        partitions: 3,
        replicas: 1,
        configs: [
          { name: 'retention.ms', value: '86400000' },
          { name: 'cleanup.policy', value: 'delete' },
        ],
      });
      expect(created).toEqual([
        expect.objectContaining({ name: topic, partitions: 3, replicas: 1 }),
      ]);
      expect(created[0]!.configuration).toMatchObject({
        'retention.ms': '86400000',
        'cleanup.policy': 'delete',
      });
      await waitForLeaders(client, topic);
      // Creating it again: the broker refuses with TOPIC_ALREADY_EXISTS (not retried).
      const again = await client.createTopics({ topics: [topic], partitions: 3 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(apiIds(again)).toBe('TOPIC_ALREADY_EXISTS');
      expect(await client.listTopics()).toContain(topic);
      const metadata = await client.metadata({ topics: [topic] });
      expect(metadata.topics.get(topic)?.partitionsCount).toBe(3);
      expect(metadata.topics.get(topic)?.partitions).toHaveLength(3);

      const [described] = await client.describeConfigs({
        resources: [
          {
            resourceType: ConfigResourceTypes.TOPIC,
            resourceName: topic,
            configurationKeys: [
              'retention.ms',
              'cleanup.policy',
              'retention.bytes',
              'message.timestamp.type',
            ],
          },
        ],
        includeSynonyms: false,
      });
      const entries = Object.fromEntries(described!.configs.map((entry) => [entry.name, entry]));
      // Set on the topic, versus the broker's default.
      expect(entries['retention.ms']).toMatchObject({
        value: '86400000',
        configSource: ConfigSources.DYNAMIC_TOPIC_CONFIG,
      });
      expect(entries['cleanup.policy']?.value).toBe('delete');
      expect(entries['retention.bytes']).toMatchObject({
        value: '-1',
        configSource: ConfigSources.DEFAULT_CONFIG,
      });
      expect(entries['message.timestamp.type']?.value).toBe('CreateTime');
    },
    TEST_TIMEOUT,
  );

  it(
    'produces idempotently (acks -1, custom partitioner); a group consumes from the beginning and commits',
    async () => {
      const client = admin(plaintext());
      const topic = await newTopic(client, 3);
      const writer = producer(plaintext(), regionPartitioner);
      const keys = [
        'US-NewYork',
        'EU-Paris',
        'ASIA-Tokyo',
        'US-Chicago',
        'EU-Berlin',
        'ASIA-Seoul',
      ];
      const sent = await writer.send({
        messages: keys.map((key, i) => ({ topic, key: bytes(key), value: bytes(`event-${i}`) })),
      });
      // One entry per partition written, with the offset of its batch's first record.
      expect(sent.offsets!.map(({ partition, offset }) => [partition, offset]).sort()).toEqual([
        [0, 0n],
        [1, 0n],
        [2, 0n],
      ]);

      const groupId = `g-${randomUUID()}`;
      const first = await consume(plaintext(), groupId, topic, keys.length);
      expect(first.received).toHaveLength(keys.length);
      for (const record of first.received) {
        expect(record.partition).toBe(AREAS.indexOf(record.key.split('-')[0]!));
      }
      expect(first.received.map((r) => r.value).sort()).toEqual(keys.map((_, i) => `event-${i}`));
      // Commit the next offset to read, per partition; the group then holds it.
      const next = new Map<number, bigint>();
      for (const r of first.received) {
        const current = next.get(r.partition) ?? 0n;
        next.set(r.partition, r.offset + 1n > current ? r.offset + 1n : current);
      }
      await first.consumer.commit({
        offsets: [...next].map(([partition, offset]) => ({
          topic,
          partition,
          offset,
          leaderEpoch: -1,
        })),
      });
      expect(await committedOffsets(client, groupId, topic)).toEqual(
        [...next].sort((a, b) => a[0] - b[0]),
      );
      await stopConsuming(first);

      // A new member of the group resumes from the committed offsets.
      await writer.send({
        messages: [{ topic, key: bytes('EU-Madrid'), value: bytes('event-after-commit') }],
      });
      const second = await consume(plaintext(), groupId, topic, 1);
      expect(second.received[0]).toMatchObject({
        partition: 1,
        value: 'event-after-commit',
        offset: next.get(1),
      });
      await stopConsuming(second);
      await writer.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'listOffsets: earliest, latest, and by timestamp',
    async () => {
      const client = admin(plaintext());
      const topic = await newTopic(client, 2);
      const writer = producer(plaintext());
      const t0 = Date.now() - 60_000;
      const at = (ms: number) => BigInt(t0 + ms);
      await writer.send({
        messages: [
          { topic, partition: 0, value: bytes('a'), timestamp: at(0) },
          { topic, partition: 0, value: bytes('b'), timestamp: at(1_000) },
          { topic, partition: 0, value: bytes('c'), timestamp: at(2_000) },
          { topic, partition: 1, value: bytes('d'), timestamp: at(500) },
        ],
      });
      await writer.close();

      expect(await listOffsets(client, topic, [0, 1], ListOffsetTimestamps.EARLIEST)).toEqual([
        [0, 0n],
        [1, 0n],
      ]);
      expect(await listOffsets(client, topic, [0, 1], ListOffsetTimestamps.LATEST)).toEqual([
        [0, 3n],
        [1, 1n],
      ]);
      const byTime = (ms: number) => listOffsets(client, topic, [0, 1], at(ms));
      // The first offset whose timestamp is >= the given one…
      expect(await byTime(-1)).toEqual([
        [0, 0n],
        [1, 0n],
      ]);
      expect(await byTime(1_000)).toEqual([
        [0, 1n],
        [1, -1n], // …or, where there is none, -1 (the caller substitutes the end offset)
      ]);
      expect(await byTime(10_000)).toEqual([
        [0, -1n],
        [1, -1n],
      ]);
    },
    TEST_TIMEOUT,
  );

  it(
    '4.0 removed some topic configs and refuses timestamps more than an hour ahead; 3.9 accepts both',
    async () => {
      const client = admin(plaintext());
      const since4 = Number(version.split('.')[0]) >= 4;
      const createWith = (name: string, value: string) =>
        client
          .createTopics({
            topics: [`t-${randomUUID()}`],
            partitions: 1,
            replicas: 1,
            configs: [{ name, value }],
          })
          .then(
            () => 'created',
            (e: unknown) => `refused ${apiIds(e)}`,
          );
      for (const [name, value] of [
        ['message.format.version', '3.0'],
        ['message.timestamp.difference.max.ms', '3600000'],
      ]) {
        expect(await createWith(name!, value!), name).toBe(
          since4 ? 'refused INVALID_CONFIG' : 'created',
        );
      }
      expect(await createWith('message.timestamp.after.max.ms', '3600000')).toBe('created');

      // log.message.timestamp.after.max.ms: unlimited in 3.9, one hour from 4.0 on.
      const topic = await newTopic(client, 1);
      const writer = producer(plaintext());
      const future = await writer
        .send({
          messages: [
            {
              topic,
              partition: 0,
              value: bytes('from the future'),
              timestamp: BigInt(Date.now() + 2 * 3_600_000),
            },
          ],
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      if (since4) {
        const chain = errorChain(future);
        expect(chain.find((e) => e.apiId === 'INVALID_TIMESTAMP')).toBeDefined();
        // The client also reports each refused record (the response's record_errors, which
        // carry no code: UNKNOWN_SERVER_ERROR) with the broker's reason.
        expect(chain.find((e) => e.apiId === 'UNKNOWN_SERVER_ERROR')?.serverErrorMessage).toMatch(
          /^Timestamp \d+ of message with offset 0 is out of range/,
        );
      } else {
        expect(future).toBeNull();
      }
      // The refused batch does not break the idempotent producer: the next send is written.
      const next = await writer.send({ messages: [{ topic, partition: 0, value: bytes('now') }] });
      expect(next.offsets?.[0]?.offset).toBe(since4 ? 0n : 1n);
      await writer.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'SASL_SSL with SCRAM-SHA-256: the right password produces and consumes, a wrong one is refused',
    async () => {
      const client = admin(saslSsl());
      const cluster = await client.metadata({ topics: [] });
      expect([...cluster.brokers]).toEqual([
        [
          1,
          expect.objectContaining({
            host: '127.0.0.1',
            port: Number(broker.saslSsl.split(':')[1]),
          }),
        ],
      ]);
      const topic = await newTopic(client, 1);
      const writer = producer(saslSsl());
      await writer.send({
        messages: [{ topic, partition: 0, key: bytes('k'), value: bytes('over TLS') }],
      });
      await writer.close();
      const reading = await consume(saslSsl(), `g-${randomUUID()}`, topic, 1);
      expect(reading.received[0]?.value).toBe('over TLS');
      await stopConsuming(reading);

      const refused = admin(
        kafkaClientConfig(broker, 'sasl_ssl', { password: 'not-the-password' }, { retries: 0 }),
      );
      const error = await refused.metadata({ topics: [] }).then(
        () => null,
        (e: unknown) => e,
      );
      await refused.close();
      // The client nests it: MultipleErrors > NetworkError (connection failed) > AuthenticationError.
      const chain = errorChain(error);
      const authentication = chain.find((e) => e instanceof AuthenticationError);
      expect(authentication?.message).toBe('SASL authentication failed.');
      expect(chain.find((e) => e.apiId === 'SASL_AUTHENTICATION_FAILED')).toMatchObject({
        serverErrorMessage:
          'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256',
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'SASL_SSL with SCRAM-SHA-512 and with PLAIN',
    async () => {
      for (const mechanism of ['SCRAM-SHA-512', 'PLAIN'] as const) {
        const client = admin(kafkaClientConfig(broker, 'sasl_ssl', { mechanism }));
        expect((await client.metadata({ topics: [] })).brokers.size, mechanism).toBe(1);
        await client.close();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'restarts on the same data dir and ports, keeping topics, records and group offsets',
    async () => {
      const client = admin(plaintext());
      const topic = await newTopic(client, 1);
      const writer = producer(plaintext());
      await writer.send({ messages: [{ topic, partition: 0, value: bytes('before') }] });
      await writer.close();
      const groupId = `g-${randomUUID()}`;
      const reading = await consume(plaintext(), groupId, topic, 1);
      expect(reading.received[0]).toMatchObject({ offset: 0n, value: 'before' });
      await reading.consumer.commit({
        offsets: [{ topic, partition: 0, offset: 1n, leaderEpoch: -1 }],
      });
      await stopConsuming(reading);
      await client.close();

      const address = broker.plaintext;
      await broker.restart();
      console.info(`Kafka ${version}: restarted in ${broker.startMs} ms`);
      expect(broker.plaintext).toBe(address);

      const after = admin(plaintext());
      expect(await after.listTopics()).toContain(topic);
      expect(await listOffsets(after, topic, [0], ListOffsetTimestamps.LATEST)).toEqual([[0, 1n]]);
      expect(await committedOffsets(after, groupId, topic)).toEqual([[0, 1n]]);
      await after.close();
    },
    TEST_TIMEOUT,
  );
});
