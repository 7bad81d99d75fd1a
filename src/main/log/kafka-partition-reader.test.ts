/**
 * The Kafka reader against a fake of the client's Fetch (the real broker runs in tests/kafka):
 * reads from exact offsets, seeks without skipping or repeating a record, and turns a record
 * batch the client cannot read into an unreadable range instead of a stall.
 */
import type { Consumer } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { KafkaPartitionReader } from './kafka-partition-reader';

interface FakeBatch {
  firstOffset: number;
  count: number;
  /** The client cannot read it (as an unknown codec or a corrupt payload). */
  poison?: boolean;
  control?: boolean;
}

/** A consumer whose `fetch` serves these batches per partition, one batch a byte of maxBytes. */
function fakeConsumer(log: Map<number, FakeBatch[]>, options: { failWith?: Error } = {}) {
  const fetches: Array<Array<{ partition: number; offset: number }>> = [];
  const consumer = {
    topics: { track: () => true },
    metadata: async () => ({
      topics: new Map([
        ['t', { id: 'topic-id', partitions: [...log.keys()].map(() => ({ leader: 1 })) }],
      ]),
    }),
    listOffsets: async ({ partitions }: { partitions: Record<string, number[]> }) => {
      const ends = partitions.t!.map((p) => {
        const last = log.get(p)!.at(-1)!;
        return BigInt(last.firstOffset + last.count);
      });
      const indexed: bigint[] = [];
      partitions.t!.forEach((p, i) => (indexed[p] = ends[i]!));
      return new Map([['t', indexed]]);
    },
    fetch: async ({
      topics,
    }: {
      topics: Array<{
        partitions: Array<{ partition: number; fetchOffset: bigint; partitionMaxBytes: number }>;
      }>;
    }) => {
      if (options.failWith) throw options.failWith;
      fetches.push(
        topics[0]!.partitions.map((p) => ({
          partition: p.partition,
          offset: Number(p.fetchOffset),
        })),
      );
      const partitions = topics[0]!.partitions.map(
        ({ partition, fetchOffset, partitionMaxBytes }) => {
          const batches = log.get(partition)!;
          const from = Number(fetchOffset);
          const end = batches.at(-1)!.firstOffset + batches.at(-1)!.count;
          // The batch holding `from`, and after it as many as the byte limit allows (one a byte).
          const served = batches
            .filter((b) => b.firstOffset + b.count > from)
            .slice(0, Math.max(1, Math.min(partitionMaxBytes, 3)));
          if (served.some((b) => b.poison)) {
            throw Object.assign(new Error('Unsupported compression algorithm with bitmask 6'), {
              code: 'PLT_KFK_UNSUPPORTED_COMPRESSION',
            });
          }
          return {
            partitionIndex: partition,
            highWatermark: BigInt(end),
            records: served.map((b) => ({
              firstOffset: BigInt(b.firstOffset),
              firstTimestamp: 1000n,
              attributes: b.control ? 1 << 5 : 0,
              records: Array.from({ length: b.count }, (_, i) => ({
                offsetDelta: i,
                timestampDelta: BigInt(i),
                key: Buffer.from('EU'),
                value: Buffer.from(`v${b.firstOffset + i}`),
              })),
            })),
          };
        },
      );
      return { responses: [{ topicId: 'topic-id', partitions }] };
    },
  };
  return { consumer: consumer as unknown as Consumer, fetches };
}

const batches = (...specs: Array<[number, number, ('poison' | 'control')?]>): FakeBatch[] =>
  specs.map(([firstOffset, count, kind]) => ({
    firstOffset,
    count,
    poison: kind === 'poison',
    control: kind === 'control',
  }));

describe('KafkaPartitionReader', () => {
  it('reads from the exact offset asked for, within a batch that starts before it', async () => {
    const { consumer } = fakeConsumer(new Map([[0, batches([0, 10], [10, 10], [20, 5])]]));
    const reader = new KafkaPartitionReader(consumer, 't');
    const first = await reader.read(0, 7, 5, 25);
    expect(first.records.map((r) => r.offset)).toEqual([7, 8, 9, 10, 11]);
    expect(first.records[0]).toMatchObject({ key: 'EU', timestamp: 1007 });
    expect(first.records[0]!.value.toString()).toBe('v7');
    const next = await reader.read(0, 12, 100, 25);
    expect(next.records.map((r) => r.offset)).toEqual(range(12, 25));
    reader.close();
  });

  it('skips transaction markers (control batches)', async () => {
    const { consumer } = fakeConsumer(new Map([[0, batches([0, 3], [3, 1, 'control'], [4, 2])]]));
    const reader = new KafkaPartitionReader(consumer, 't');
    const read = await reader.read(0, 0, 100, 6);
    expect(read.records.map((r) => r.offset)).toEqual([0, 1, 2, 4, 5]);
    reader.close();
  });

  it('seeks back and forth without skipping or repeating a record', async () => {
    const { consumer } = fakeConsumer(new Map([[0, batches([0, 10], [10, 10], [20, 10])]]));
    const reader = new KafkaPartitionReader(consumer, 't');
    expect((await reader.read(0, 0, 3, 30)).records.map((r) => r.offset)).toEqual([0, 1, 2]);
    expect((await reader.read(0, 25, 3, 30)).records.map((r) => r.offset)).toEqual([25, 26, 27]);
    expect((await reader.read(0, 1, 2, 30)).records.map((r) => r.offset)).toEqual([1, 2]);
    expect((await reader.read(0, 3, 30, 30)).records.map((r) => r.offset)).toEqual(range(3, 30));
    reader.close();
  });

  it('hands out an unreadable batch as a range and goes on after it', async () => {
    const log = new Map([
      [0, batches([0, 10], [10, 10, 'poison'], [20, 10])],
      [1, batches([0, 5], [5, 5])],
    ]);
    const { consumer } = fakeConsumer(log);
    const reader = new KafkaPartitionReader(consumer, 't');
    const seen: number[] = [];
    const unreadable = [];
    for (let offset = 0; offset < 30;) {
      const read = await reader.read(0, offset, 100, 30);
      seen.push(...read.records.map((r) => r.offset));
      unreadable.push(...read.unreadable);
      offset = Math.max(
        offset,
        ...read.unreadable.map((u) => u.lastOffset + 1),
        ...read.records.map((r) => r.offset + 1),
      );
    }
    expect(seen).toEqual([...range(0, 10), ...range(20, 30)]);
    expect(unreadable).toEqual([
      {
        partition: 0,
        firstOffset: 10,
        lastOffset: 19,
        reason: expect.stringMatching(/cannot read: Unsupported compression algorithm/),
      },
    ]);
    // The other partition reads on, whole.
    expect((await reader.read(1, 0, 100, 10)).records.map((r) => r.offset)).toEqual(range(0, 10));
    reader.close();
  });

  it('finds a long unreadable run, and one that reaches the end of the log', async () => {
    const log = new Map([
      [0, batches([0, 2], [2, 40, 'poison'], [42, 30, 'poison'], [72, 3])],
      [1, batches([0, 4], [4, 6, 'poison'])],
    ]);
    const { consumer } = fakeConsumer(log);
    const reader = new KafkaPartitionReader(consumer, 't');
    expect((await reader.read(0, 0, 100, 75)).records.map((r) => r.offset)).toEqual([0, 1]);
    const run = await reader.read(0, 2, 100, 75);
    expect(run.unreadable.map((u) => [u.firstOffset, u.lastOffset])).toEqual([[2, 71]]);
    expect((await reader.read(0, 72, 100, 75)).records.map((r) => r.offset)).toEqual([72, 73, 74]);
    expect((await reader.read(1, 0, 100, 10)).records.map((r) => r.offset)).toEqual(range(0, 4));
    const tail = await reader.read(1, 4, 100, 10);
    expect(tail.unreadable.map((u) => [u.firstOffset, u.lastOffset])).toEqual([[4, 9]]);
    reader.close();
  });

  it('throws a failure that is not about the data (the broker away) to the caller', async () => {
    const down = Object.assign(new Error('Connection to 127.0.0.1:9 failed.'), {
      code: 'PLT_KFK_NETWORK',
    });
    const { consumer } = fakeConsumer(new Map([[0, batches([0, 5])]]), { failWith: down });
    const reader = new KafkaPartitionReader(consumer, 't');
    await expect(reader.read(0, 0, 10, 5)).rejects.toThrow(/Connection to 127.0.0.1:9 failed/);
    reader.close();
  });

  it('fetches ahead while records are being worked on, for every partition read', async () => {
    const { consumer, fetches } = fakeConsumer(
      new Map([
        [0, batches([0, 10], [10, 10])],
        [1, batches([0, 10], [10, 10])],
      ]),
    );
    const reader = new KafkaPartitionReader(consumer, 't');
    await reader.read(0, 0, 5, 20);
    await reader.read(1, 0, 5, 20);
    // The reads above returned part of what was fetched and started the next fetch meanwhile.
    expect((await reader.read(0, 5, 100, 20)).records.map((r) => r.offset)).toEqual(range(5, 20));
    expect(fetches.some((f) => f.length === 2)).toBe(true);
    reader.close();
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
