/**
 * kafkajs 2.2.4 against real Kafka brokers, 3.9 and 4.x (KRaft, started by
 * tests/support/kafka-broker.ts): the calls the KafkaEventLog relies on, over PLAINTEXT and over
 * SASL_SSL with SCRAM. The first run of each version downloads its jars (~45 MiB, cached).
 */
import { randomUUID } from 'node:crypto';
import type {
  Admin,
  Consumer,
  ICustomPartitioner,
  Kafka as KafkaClient,
  KafkaConfig,
} from 'kafkajs';
import kafkajs from '../../src/main/log/kafkajs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  KAFKA_TEST_VERSIONS,
  kafkaClientConfig,
  startKafkaBroker,
  type KafkaBroker,
} from '../support/kafka-broker';

const { Kafka, logLevel, ConfigResourceTypes, KafkaJSSASLAuthenticationError } = kafkajs;

/** Starting a broker includes, on a cold cache, downloading its jars with Maven. */
const START_TIMEOUT = 300_000;
const TEST_TIMEOUT = 120_000;

/**
 * Region keys → partitions, like the app's `region` partitioner: by area first. kafkajs calls a
 * custom partitioner for every message, even one with an explicit `partition`: honour it here.
 */
const AREAS = ['US', 'EU', 'ASIA'];
const regionPartitioner: ICustomPartitioner =
  () =>
  ({ message, partitionMetadata }) => {
    if (message.partition !== undefined) return message.partition;
    const area = String(message.key ?? '').split('-')[0] ?? '';
    const index = AREAS.indexOf(area);
    return (index < 0 ? 0 : index) % partitionMetadata.length;
  };

interface Received {
  partition: number;
  offset: string;
  key: string;
  value: string;
  timestamp: string;
}

describe.each(KAFKA_TEST_VERSIONS)('kafkajs 2.2.4 against Kafka %s', (version) => {
  let broker: KafkaBroker;
  const clients: Array<{ disconnect(): Promise<void> }> = [];

  const client = (config: Pick<KafkaConfig, 'brokers' | 'ssl' | 'sasl'>): KafkaClient =>
    new Kafka({
      clientId: `broker-test-${version}`,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 5_000,
      requestTimeout: 15_000,
      ...config,
    });
  const plaintext = () => client(kafkaClientConfig(broker, 'plaintext'));
  const saslSsl = () => client(kafkaClientConfig(broker, 'sasl_ssl'));
  const connectedAdmin = async (kafka: KafkaClient): Promise<Admin> => {
    const admin = kafka.admin();
    clients.push(admin);
    await admin.connect();
    return admin;
  };
  const newTopic = async (admin: Admin, numPartitions: number): Promise<string> => {
    const topic = `t-${randomUUID()}`;
    expect(
      await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true }),
    ).toBe(true);
    return topic;
  };
  /** Runs a consumer of `groupId` from the beginning until it has `count` records. */
  const consume = async (
    kafka: KafkaClient,
    groupId: string,
    topic: string,
    count: number,
  ): Promise<{ consumer: Consumer; received: Received[] }> => {
    // maxWaitTimeInMs: disconnect() waits for the fetch in flight (a long poll, 5 s by default).
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    clients.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const received: Received[] = [];
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        received.push({
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? '',
          timestamp: message.timestamp,
        });
      },
    });
    await vi.waitFor(() => expect(received.length).toBeGreaterThanOrEqual(count), {
      timeout: 60_000,
      interval: 25,
    });
    return { consumer, received };
  };

  beforeAll(async () => {
    broker = await startKafkaBroker({ version });
    console.info(`Kafka ${version}: ready in ${broker.startMs} ms (${broker.plaintext})`);
  }, START_TIMEOUT);

  afterAll(async () => {
    for (const c of clients.splice(0)) await c.disconnect().catch(() => {});
    await broker?.destroy();
  }, 60_000);

  it(
    'creates a topic and describes its configs (admin)',
    async () => {
      const admin = await connectedAdmin(plaintext());
      const topic = `t-${randomUUID()}`;
      const created = await admin.createTopics({
        topics: [
          {
            topic,
            numPartitions: 3,
            configEntries: [
              { name: 'retention.ms', value: '86400000' },
              { name: 'cleanup.policy', value: 'delete' },
            ],
          },
        ],
        waitForLeaders: true,
      });
      expect(created).toBe(true);
      // Creating it again is not an error: kafkajs answers false.
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).toBe(false);
      expect(await admin.listTopics()).toContain(topic);
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(metadata.topics[0]?.partitions).toHaveLength(3);

      const described = await admin.describeConfigs({
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configNames: [
              'retention.ms',
              'cleanup.policy',
              'retention.bytes',
              'message.timestamp.type',
            ],
          },
        ],
        includeSynonyms: false,
      });
      const entries = Object.fromEntries(
        described.resources[0]!.configEntries.map((entry) => [entry.configName, entry]),
      );
      expect(entries['retention.ms']).toMatchObject({ configValue: '86400000', isDefault: false });
      expect(entries['cleanup.policy']?.configValue).toBe('delete');
      expect(entries['retention.bytes']).toMatchObject({ configValue: '-1', isDefault: true });
      expect(entries['message.timestamp.type']?.configValue).toBe('CreateTime');
    },
    TEST_TIMEOUT,
  );

  it(
    'produces idempotently (acks -1, custom partitioner); a group consumes from the beginning and commits',
    async () => {
      const kafka = plaintext();
      const admin = await connectedAdmin(kafka);
      const topic = await newTopic(admin, 3);
      const producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: regionPartitioner,
      });
      clients.push(producer);
      await producer.connect();
      const keys = [
        'US-NewYork',
        'EU-Paris',
        'ASIA-Tokyo',
        'US-Chicago',
        'EU-Berlin',
        'ASIA-Seoul',
      ];
      const sent = await producer.send({
        topic,
        acks: -1,
        messages: keys.map((key, i) => ({ key, value: `event-${i}` })),
      });
      expect(sent.map((r) => r.errorCode)).toEqual(sent.map(() => 0));
      expect(sent.map((r) => r.partition).sort()).toEqual([0, 1, 2]);

      const groupId = `g-${randomUUID()}`;
      const first = await consume(kafka, groupId, topic, keys.length);
      expect(first.received).toHaveLength(keys.length);
      for (const record of first.received) {
        expect(record.partition).toBe(AREAS.indexOf(record.key.split('-')[0]!));
      }
      expect(first.received.map((r) => r.value).sort()).toEqual(keys.map((_, i) => `event-${i}`));
      // Commit the next offset to read, per partition; the group then holds it.
      const next = new Map<number, number>();
      for (const r of first.received) {
        next.set(r.partition, Math.max(next.get(r.partition) ?? 0, Number(r.offset) + 1));
      }
      await first.consumer.commitOffsets(
        [...next].map(([partition, offset]) => ({ topic, partition, offset: String(offset) })),
      );
      const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(committed[0]!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual(
        [...next].map(([p, o]) => [p, String(o)]).sort(),
      );
      await first.consumer.disconnect();

      // A new member of the group resumes from the committed offsets.
      await producer.send({
        topic,
        acks: -1,
        messages: [{ key: 'EU-Madrid', value: 'event-after-commit' }],
      });
      const second = await consume(kafka, groupId, topic, 1);
      expect(second.received[0]).toMatchObject({
        partition: 1,
        value: 'event-after-commit',
        offset: String(next.get(1)),
      });
      await second.consumer.disconnect();
      await producer.disconnect();
    },
    TEST_TIMEOUT,
  );

  it(
    'fetchTopicOffsets and fetchTopicOffsetsByTimestamp',
    async () => {
      const kafka = plaintext();
      const admin = await connectedAdmin(kafka);
      const topic = await newTopic(admin, 2);
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      clients.push(producer);
      await producer.connect();
      const t0 = Date.now() - 60_000;
      await producer.send({
        topic,
        acks: -1,
        messages: [
          { partition: 0, value: 'a', timestamp: String(t0) },
          { partition: 0, value: 'b', timestamp: String(t0 + 1_000) },
          { partition: 0, value: 'c', timestamp: String(t0 + 2_000) },
          { partition: 1, value: 'd', timestamp: String(t0 + 500) },
        ],
      });
      await producer.disconnect();

      const offsets = await admin.fetchTopicOffsets(topic);
      expect(
        offsets
          .map(({ partition, offset, high, low }) => ({ partition, offset, high, low }))
          .sort((a, b) => a.partition - b.partition),
      ).toEqual([
        { partition: 0, offset: '3', high: '3', low: '0' },
        { partition: 1, offset: '1', high: '1', low: '0' },
      ]);
      const byTime = async (timestamp: number) =>
        (await admin.fetchTopicOffsetsByTimestamp(topic, timestamp))
          .map(({ partition, offset }) => [partition, offset])
          .sort();
      // The first offset whose timestamp is >= the given one…
      expect(await byTime(t0 - 1)).toEqual([
        [0, '0'],
        [1, '0'],
      ]);
      expect(await byTime(t0 + 1_000)).toEqual([
        [0, '1'],
        [1, '1'], // …or, where there is none, the end offset (kafkajs replaces the broker's -1)
      ]);
      expect(await byTime(t0 + 10_000)).toEqual([
        [0, '3'],
        [1, '1'],
      ]);
    },
    TEST_TIMEOUT,
  );

  it(
    '4.0 removed some topic configs and refuses timestamps more than an hour ahead; 3.9 accepts both',
    async () => {
      const kafka = plaintext();
      const admin = await connectedAdmin(kafka);
      const since4 = Number(version.split('.')[0]) >= 4;
      const createWith = (name: string, value: string) =>
        admin
          .createTopics({
            topics: [{ topic: `t-${randomUUID()}`, configEntries: [{ name, value }] }],
          })
          .then(
            () => 'created',
            (e: { name: string; errors?: Array<{ type: string }> }) =>
              `${e.name} ${e.errors?.map((inner) => inner.type).join()}`,
          );
      for (const [name, value] of [
        ['message.format.version', '3.0'],
        ['message.timestamp.difference.max.ms', '3600000'],
      ]) {
        expect(await createWith(name!, value!), name).toBe(
          since4 ? 'KafkaJSAggregateError INVALID_CONFIG' : 'created',
        );
      }
      expect(await createWith('message.timestamp.after.max.ms', '3600000')).toBe('created');

      // log.message.timestamp.after.max.ms: unlimited in 3.9, one hour from 4.0 on.
      const topic = await newTopic(admin, 1);
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      clients.push(producer);
      await producer.connect();
      const future = await producer
        .send({
          topic,
          acks: -1,
          messages: [{ value: 'from the future', timestamp: String(Date.now() + 2 * 3_600_000) }],
        })
        .then(
          () => 'accepted',
          (e: { name: string; type?: string }) => `${e.name} ${e.type}`,
        );
      expect(future).toBe(since4 ? 'KafkaJSProtocolError INVALID_TIMESTAMP' : 'accepted');
      // The refused batch does not break the idempotent producer's sequence.
      const [next] = await producer.send({ topic, acks: -1, messages: [{ value: 'now' }] });
      expect(next?.baseOffset).toBe(since4 ? '0' : '1');
      await producer.disconnect();
    },
    TEST_TIMEOUT,
  );

  it(
    'SASL_SSL with SCRAM-SHA-256: the right password produces and consumes, a wrong one is refused',
    async () => {
      const kafka = saslSsl();
      const admin = await connectedAdmin(kafka);
      const cluster = await admin.describeCluster();
      expect(cluster.brokers).toEqual([
        expect.objectContaining({
          nodeId: 1,
          host: '127.0.0.1',
          port: Number(broker.saslSsl.split(':')[1]),
        }),
      ]);
      const topic = await newTopic(admin, 1);
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      clients.push(producer);
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'over TLS' }] });
      await producer.disconnect();
      const { consumer, received } = await consume(kafka, `g-${randomUUID()}`, topic, 1);
      expect(received[0]?.value).toBe('over TLS');
      await consumer.disconnect();

      const wrong = client(kafkaClientConfig(broker, 'sasl_ssl', { password: 'not-the-password' }));
      const refused = wrong.admin({ retry: { retries: 0 } });
      const error = await refused.connect().then(
        () => null,
        (e: unknown) => e,
      );
      await refused.disconnect();
      expect(error).toBeInstanceOf(KafkaJSSASLAuthenticationError);
      expect((error as Error).name).toBe('KafkaJSSASLAuthenticationError');
      expect((error as Error).message).toBe(
        'SASL SCRAM SHA256 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256',
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'SASL_SSL with SCRAM-SHA-512 and with PLAIN',
    async () => {
      for (const mechanism of ['scram-sha-512', 'plain'] as const) {
        const admin = await connectedAdmin(
          client(kafkaClientConfig(broker, 'sasl_ssl', { mechanism })),
        );
        expect((await admin.describeCluster()).brokers).toHaveLength(1);
        await admin.disconnect();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'restarts on the same data dir and ports, keeping topics, records and group offsets',
    async () => {
      const kafka = plaintext();
      const admin = await connectedAdmin(kafka);
      const topic = await newTopic(admin, 1);
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ value: 'before' }] });
      await producer.disconnect();
      const groupId = `g-${randomUUID()}`;
      // (admin.setOffsets would do too, but it takes ~5 s: it joins the group with a consumer.)
      const { consumer } = await consume(kafka, groupId, topic, 1);
      await consumer.commitOffsets([{ topic, partition: 0, offset: '1' }]);
      await consumer.disconnect();
      await admin.disconnect();

      const address = broker.plaintext;
      await broker.restart();
      console.info(`Kafka ${version}: restarted in ${broker.startMs} ms`);
      expect(broker.plaintext).toBe(address);

      const after = await connectedAdmin(plaintext());
      expect(await after.listTopics()).toContain(topic);
      expect((await after.fetchTopicOffsets(topic))[0]).toMatchObject({ high: '1' });
      const committed = await after.fetchOffsets({ groupId, topics: [topic] });
      expect(committed[0]!.partitions[0]).toMatchObject({ partition: 0, offset: '1' });
      await after.disconnect();
    },
    TEST_TIMEOUT,
  );
});
