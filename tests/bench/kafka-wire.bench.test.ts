/**
 * kafkajs 2.2.4's hot paths against their replacements (src/main/log/kafka-wire/), on the same
 * StreamPulse-shaped inputs (97-byte values, region keys, string timestamps), in one process and
 * no broker: CPU per record of each, best of 5. The end-to-end effect is in kafka.bench.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { it } from 'vitest';
import { KafkaLong, kafkajsModules, kafkajsSource, load } from '../support/kafkajs-modules';
import { BenchReport, bestOf } from './bench-report';

type Encoder = { buffer: Buffer };
type Decoder = { buffer: Buffer; offset: number };
const REGIONS = ['eu-west', 'us-east', 'ap-south', 'sa-east', 'af-south'];
const T0 = 1_764_000_000_000;

const message = (i: number, partition: number) => ({
  key: Buffer.from(REGIONS[(i + partition) % REGIONS.length]!),
  value: randomBytes(97),
  timestamp: String(T0 + i * 3 - (i % 7) * 50),
  partition,
});

it('kafka wire: kafkajs’s hot paths against their replacements', async () => {
  const report = new BenchReport('kafka-wire');
  const perRecordNs = (ms: number, records: number, rounds: number) =>
    (ms * 1e6) / (records * rounds);
  /** Best of 5 of `rounds` calls of each, in ns a record; ours, kafkajs's, and their ratio. */
  async function compare(
    name: string,
    records: number,
    rounds: number,
    run: (fn: 'current' | 'original') => Promise<unknown> | unknown,
  ): Promise<void> {
    const time = async (which: 'current' | 'original') => {
      for (let i = 0; i < Math.min(rounds, 50); i++) await run(which); // warm up
      return perRecordNs(
        await bestOf(5, async () => {
          for (let i = 0; i < rounds; i++) await run(which);
        }),
        records,
        rounds,
      );
    };
    const theirs = await time('original');
    const ours = await time('current');
    report.add(`${name}: kafkajs`, theirs, 'ns/record');
    report.add(`${name}: StreamPulse`, ours, 'ns/record', `${(theirs / ours).toFixed(1)}× less`);
  }

  // Produce request: 3 partitions × 1,000 messages.
  const produce = kafkajsModules<(f: object) => { encode(): Promise<Encoder> }>(
    'protocol/requests/produce/v3/request.js',
  );
  const topicData = [
    {
      topic: 'content-downloads',
      partitions: [0, 1, 2].map((partition) => ({
        partition,
        firstSequence: 0,
        messages: Array.from({ length: 1000 }, (_, i) => message(i, partition)),
      })),
    },
  ];
  const fields = {
    acks: -1,
    timeout: 30_000,
    producerId: KafkaLong.fromValue(7),
    producerEpoch: 0,
    topicData,
  };
  await compare(
    'encode a Produce request (3 × 1,000)',
    3000,
    20,
    async (which) => (await produce[which](fields).encode()).buffer,
  );

  // Grouping per partition: 250 and 4,000 messages a partition (kafkajs's is quadratic).
  const group = kafkajsModules<(args: object) => unknown>('producer/groupMessagesPerPartition.js');
  for (const perPartition of [250, 4000]) {
    const messages = [0, 1, 2].flatMap((p) =>
      Array.from({ length: perPartition }, (_, i) => message(i, p)),
    );
    const args = {
      topic: 't',
      partitionMetadata: [0, 1, 2],
      messages,
      partitioner: ({ message: m }: { message: { partition: number } }) => m.partition,
    };
    await compare(
      `group per partition (3 × ${perPartition.toLocaleString('en-US')})`,
      messages.length,
      perPartition > 1000 ? 2 : 20,
      (which) => group[which](args),
    );
  }

  // Decoding a fetched batch of 1,000 records, as the broker returns it.
  const { RecordBatch } = load(kafkajsSource('protocol/recordBatch/v0/index.js')) as {
    RecordBatch: (args: object) => Promise<Encoder>;
  };
  const Record = load(kafkajsSource('protocol/recordBatch/record/v0/index.js')) as (
    args: object,
  ) => object;
  const DecoderClass = load(kafkajsSource('protocol/decoder.js')) as new (b: Buffer) => Decoder;
  const batch = (
    await RecordBatch({
      firstOffset: KafkaLong.fromValue('1000000'),
      firstTimestamp: T0,
      maxTimestamp: T0 + 5000,
      lastOffsetDelta: 999,
      producerId: KafkaLong.fromValue('7'),
      records: Array.from({ length: 1000 }, (_, i) =>
        Record({
          offsetDelta: i,
          timestampDelta: (i * 5) % 5000,
          key: message(i, 0).key,
          value: message(i, 0).value,
        }),
      ),
    })
  ).buffer;
  const decode = kafkajsModules<(d: Decoder) => Promise<{ records: unknown[] }>>(
    'protocol/recordBatch/v0/decoder.js',
  );
  await compare('decode a fetched batch (1,000)', 1000, 50, (which) =>
    decode[which](new DecoderClass(batch)),
  );

  // A fetched batch's filtering by offset (kafkajs's Batch).
  const decoded = (await decode.original(new DecoderClass(batch))).records;
  const Batch =
    kafkajsModules<new (t: string, o: string, d: object) => object>('consumer/batch.js');
  const data = { partition: 0, highWatermark: '1001000', messages: decoded };
  await compare(
    'filter a fetched batch (1,000)',
    1000,
    200,
    (which) => new Batch[which]('t', '1000000', data),
  );

  report.write();
}, 300_000);
