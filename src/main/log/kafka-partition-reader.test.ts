/**
 * The reader's own logic, with kafkajs's consumer replaced by a fake that hands over batches when
 * told to (the real consumer runs in tests/kafka against brokers).
 */
import type { Kafka } from 'kafkajs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KafkaPartitionReader } from './kafka-partition-reader';

type EachBatch = (args: { batch: object }) => Promise<void>;

function fakeKafka() {
  const calls: Array<[string, unknown]> = [];
  let eachBatch: EachBatch = async () => {};
  const consumer = {
    events: { GROUP_JOIN: 'group-join' },
    connect: async () => {},
    subscribe: async () => {},
    on: (_event: string, listener: () => void) => listener(),
    run: async (options: { eachBatch: EachBatch }) => {
      eachBatch = options.eachBatch;
    },
    seek: (to: object) => calls.push(['seek', to]),
    pause: (what: object) => calls.push(['pause', what]),
    resume: (what: object) => calls.push(['resume', what]),
    disconnect: async () => {},
  };
  const kafka = { consumer: () => consumer } as unknown as Kafka;
  /** A fetched batch for `partition`: `count` records from `from`, with the broker's end. */
  const deliver = (partition: number, from: number, count: number, highWatermark: number) =>
    eachBatch({
      batch: {
        partition,
        highWatermark: String(highWatermark),
        messages: Array.from({ length: count }, (_, i) => ({
          offset: String(from + i),
          timestamp: String(1_764_000_000_000 + Math.floor(i / 3)),
          key: Buffer.from('eu-west'),
          value: Buffer.from([i % 256]),
        })),
      },
    });
  return { kafka, calls, deliver };
}

afterEach(() => vi.useRealTimers());

describe('KafkaPartitionReader', () => {
  it('knows the end from the latest fetch, for a second only, and follows it down', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    const { kafka, deliver } = fakeKafka();
    const reader = new KafkaPartitionReader(kafka, 't', 'g');
    await reader.start();
    expect(reader.knownEnd(0)).toBeUndefined();
    await deliver(0, 0, 0, 1500);
    expect(reader.knownEnd(0)).toBe(1500);
    // The topic deleted and made again: its end is lower now.
    await deliver(0, 0, 0, 10);
    expect(reader.knownEnd(0)).toBe(10);
    vi.setSystemTime(1_000_000 + 1001);
    expect(reader.knownEnd(0)).toBeUndefined();
    expect(reader.knownEnd(1)).toBeUndefined();
  });

  it('reads records in order with their timestamps, and resumes a paused partition it seeks on', async () => {
    const { kafka, calls, deliver } = fakeKafka();
    const reader = new KafkaPartitionReader(kafka, 't', 'g');
    await reader.start();
    const first = reader.read(0, 0, 10, 100_000);
    await deliver(0, 0, 60_000, 100_000); // past the reader's 50,000: pauses the partition
    const records = await first;
    expect(records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(records.map((r) => r.timestamp - 1_764_000_000_000)).toEqual([
      0, 0, 0, 1, 1, 1, 2, 2, 2, 3,
    ]);
    expect(records[0]!.key).toBe('eu-west');
    expect(calls.filter(([name]) => name === 'pause')).toHaveLength(1);

    // Elsewhere (a replay): the buffer goes, the consumer seeks there and fetches again.
    calls.length = 0;
    const replay = reader.read(0, 5, 3, 100_000, 50);
    expect(calls.map(([name]) => name)).toEqual(['seek', 'resume']);
    await deliver(0, 5, 3, 100_000);
    expect((await replay).map((r) => r.offset)).toEqual([5, 6, 7]);
  });
});
