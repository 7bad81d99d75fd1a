/**
 * The replacements of kafkajs's hot paths against kafkajs's own code, on the same inputs: the
 * Produce request byte for byte, the CRC-32C, the grouping per partition. The real brokers in
 * tests/kafka check the rest (a batch with a wrong CRC or length is refused there).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  KafkaLong as Long,
  kafkajsModules as modules,
  kafkajsSource,
  load,
} from '../../../../tests/support/kafkajs-modules';
import { kafkajsFastPaths } from '../kafkajs';
import { crc32c } from './crc32c';
import { KAFKAJS_VERSION, installKafkajsFastPaths } from './kafkajs-fast-paths';
import { encodeProduceRequest, type ProduceMessage } from './produce-request';
import { decodeRecordBatch } from './record-batch-decoder';

type Encoded = { buffer: Buffer };
type ProduceFactory = (fields: object) => { encode: () => Promise<Encoded>; apiVersion: number };
const produceV3 = modules<ProduceFactory>('protocol/requests/produce/v3/request.js');

/** Seeded, so a failure is repeatable. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomMessages(next: () => number, count: number): ProduceMessage[] {
  const base = 1_764_000_000_000;
  return Array.from({ length: count }, (_, i) => {
    const kind = Math.floor(next() * 10);
    const valueLength = Math.floor(next() * (kind === 0 ? 20_000 : 300));
    return {
      key:
        kind === 1
          ? null
          : kind === 2
            ? 'région-ü'
            : Buffer.from(`region-${Math.floor(next() * 7)}`),
      value: kind === 3 ? null : kind === 4 ? 'text value ✓' : randomBytes(valueLength),
      // Out of order, late by up to 30 days (deltas past 2^31 ms), as numbers, strings or none.
      timestamp:
        kind === 5
          ? undefined
          : kind === 6
            ? base + i * 7 - Math.floor(next() * 30 * 86_400_000)
            : String(base + i * 3 - Math.floor(next() * 60_000)),
    };
  });
}

async function bothEncodings(fields: object): Promise<[Buffer, Buffer]> {
  const ours = (await produceV3.current(fields).encode()).buffer;
  const theirs = (await produceV3.original(fields).encode()).buffer;
  return [ours, theirs];
}

afterEach(() => {
  vi.useRealTimers();
});

describe('kafkajs fast paths', () => {
  it('are installed on the kafkajs this project pins', () => {
    expect(kafkajsFastPaths).toEqual({
      version: KAFKAJS_VERSION,
      skipped: null,
      produceRequest: true,
      grouping: true,
      recordBatchDecoder: true,
      fetchedBatch: true,
    });
    expect(produceV3.current).not.toBe(produceV3.original);
  });

  it('can be turned off, and then leave kafkajs as it is', () => {
    const state = installKafkajsFastPaths(load, { STREAMPULSE_KAFKAJS_FAST_PATHS: '0' });
    expect(state).toMatchObject({
      skipped: 'STREAMPULSE_KAFKAJS_FAST_PATHS=0',
      produceRequest: false,
    });
  });

  it('says which it could not replace when kafkajs loaded first, and replaces the rest', () => {
    // A module cache of its own, where kafkajs's sendMessages.js (which takes the grouping when
    // it loads) has loaded already; the originals are kafkajs's, unmarked.
    const replaced = [
      'producer/groupMessagesPerPartition.js',
      'protocol/requests/produce/v3/request.js',
      'protocol/recordBatch/v0/decoder.js',
      'consumer/batch.js',
    ].map(kafkajsSource);
    const cache: Record<string, { exports: unknown }> = {
      [kafkajsSource('producer/sendMessages.js')]: { exports: {} },
    };
    for (const path of replaced) {
      const { original } = modules<object>(path.slice(path.indexOf('/src/') + 5));
      cache[path] = { exports: original };
    }
    const fakeLoad = Object.assign(
      (path: string) => (cache[path] ? cache[path].exports : load(path)),
      { resolve: load.resolve, cache },
    ) as unknown as NodeJS.Require;
    const state = installKafkajsFastPaths(fakeLoad, {});
    expect(state).toMatchObject({
      grouping: false,
      produceRequest: true,
      recordBatchDecoder: true,
      fetchedBatch: true,
    });
    expect(state.skipped).toMatch(/loaded before .*: grouping kept kafkajs's own/);
    const { original: groupOriginal } = modules<object>('producer/groupMessagesPerPartition.js');
    expect(cache[replaced[0]!]!.exports).toBe(groupOriginal);
    expect(cache[replaced[1]!]!.exports).not.toBe(produceV3.original);
  });

  it('a second install finds the first one', () => {
    expect(installKafkajsFastPaths(load, {})).toMatchObject({
      produceRequest: true,
      grouping: true,
    });
  });
});

describe('the Produce request', () => {
  it('is byte for byte what kafkajs writes, for a StreamPulse-shaped request', async () => {
    const next = random(1);
    const topicData = [
      {
        topic: 'content-downloads',
        partitions: [0, 1, 2].map((partition) => ({
          partition,
          firstSequence: 1000 * partition,
          messages: Array.from({ length: 250 }, (_, i) => ({
            key: Buffer.from(['eu-west', 'us-east', 'ap-south'][i % 3]!),
            value: randomBytes(97),
            timestamp: String(1_764_000_000_000 + i * 4 - Math.floor(next() * 5000)),
          })),
        })),
      },
    ];
    const fields = {
      acks: -1,
      timeout: 30_000,
      producerId: Long.fromValue(4242),
      producerEpoch: 3,
      topicData,
    };
    const [ours, theirs] = await bothEncodings(fields);
    expect(ours.length).toBeGreaterThan(250 * 3 * 97);
    expect(ours.equals(theirs)).toBe(true);
    expect(encodeProduceRequest(fields).equals(theirs)).toBe(true);
  });

  it('is byte for byte what kafkajs writes, for 200 random requests', async () => {
    vi.useFakeTimers({ now: 1_764_000_123_456, toFake: ['Date'] });
    const next = random(7);
    for (let round = 0; round < 200; round++) {
      const topics = 1 + Math.floor(next() * 3);
      const fields = {
        acks: [-1, 1, 0][round % 3],
        timeout: 1 + Math.floor(next() * 60_000),
        transactionalId: round % 5 === 0 ? `tx-${round}-ü` : null,
        producerId: Long.fromValue(round % 4 === 0 ? '1099511627776' : round),
        producerEpoch: round % 7,
        topicData: Array.from({ length: topics }, (_, t) => ({
          topic: `topic-${t}-${round}`,
          partitions: Array.from({ length: 1 + Math.floor(next() * 4) }, (_, p) => ({
            partition: p * 3 + t,
            firstSequence: Math.floor(next() * 2 ** 31),
            messages: randomMessages(next, 1 + Math.floor(next() * 40)),
          })),
        })),
      };
      const [ours, theirs] = await bothEncodings(fields);
      expect(ours.equals(theirs), `round ${round}`).toBe(true);
    }
  });

  it('is what kafkajs writes at the edges: no messages, no timestamps, 0, an empty transactional id', async () => {
    vi.useFakeTimers({ now: 1_764_000_123_456, toFake: ['Date'] });
    const partition = (p: number, messages: ProduceMessage[]) => ({
      partition: p,
      firstSequence: 5,
      messages,
    });
    const cases = [
      [partition(0, [])],
      [
        partition(0, [
          { key: null, value: 'a' },
          { key: 'k', value: null },
        ]),
      ],
      [
        partition(0, [
          { key: 'k', value: 'a', timestamp: 0 },
          { key: 'k', value: 'b', timestamp: '0' },
        ]),
      ],
      [
        partition(1, [
          { key: 'k', value: 'a', timestamp: 9 },
          { key: 'k', value: 'b', timestamp: 10 },
        ]),
      ],
    ];
    for (const [i, partitions] of cases.entries()) {
      for (const transactionalId of [null, '', 'tx']) {
        const fields = {
          acks: -1,
          timeout: 1000,
          transactionalId,
          producerId: Long.fromValue(3),
          topicData: [{ topic: 't', partitions }],
        };
        const [ours, theirs] = await bothEncodings(fields);
        expect(ours.equals(theirs), `case ${i}, transactional id ${transactionalId}`).toBe(true);
      }
    }
  });

  it('leaves timestamps it cannot write exactly to kafkajs, which then does what it does', async () => {
    const outcome = async (encode: () => Promise<Encoded>) =>
      encode().then(
        (e) => e.buffer.toString('hex'),
        (err: Error) => `throws ${err.name}`,
      );
    const odd: Array<Array<string | number>> = [
      ['NaN', '1764000000000'],
      ['', '1764000000000'],
      ['1764000000000', 1764000000000.5],
      ['9', '10000000000000001'], // a delta past 2^52
    ];
    for (const timestamps of odd) {
      const fields = {
        acks: -1,
        timeout: 1000,
        producerId: Long.fromValue(3),
        topicData: [
          {
            topic: 't',
            partitions: [
              {
                partition: 0,
                firstSequence: 0,
                messages: timestamps.map((timestamp) => ({ key: 'k', value: 'v', timestamp })),
              },
            ],
          },
        ],
      };
      expect(() => encodeProduceRequest(fields), String(timestamps)).toThrow(/timestamp/);
      expect(await outcome(() => produceV3.current(fields).encode()), String(timestamps)).toBe(
        await outcome(() => produceV3.original(fields).encode()),
      );
    }
  });

  it('leaves what it does not write (headers, compression) to kafkajs', async () => {
    const fields = {
      acks: -1,
      timeout: 30_000,
      producerId: Long.fromValue(1),
      topicData: [
        {
          topic: 't',
          partitions: [
            {
              partition: 0,
              firstSequence: 0,
              messages: [{ key: 'k', value: 'v', timestamp: '1764000000000', headers: { h: 'x' } }],
            },
          ],
        },
      ],
    };
    const [ours, theirs] = await bothEncodings(fields);
    expect(ours.equals(theirs)).toBe(true);
    expect(ours.includes(Buffer.from('h'))).toBe(true);
    // Compressed: kafkajs's own encoding (GZIP), not the uncompressed one this module writes.
    const plain = {
      ...fields,
      topicData: [
        {
          topic: 't',
          partitions: [
            {
              partition: 0,
              firstSequence: 0,
              messages: [{ key: 'k', value: 'v'.repeat(500), timestamp: '1764000000000' }],
            },
          ],
        },
      ],
    };
    const [gzipOurs, gzipTheirs] = await bothEncodings({ ...plain, compression: 1 });
    expect(gzipOurs.equals(gzipTheirs)).toBe(true);
    expect(gzipOurs.length).toBeLessThan(encodeProduceRequest(plain).length - 300);
  });
});

describe('CRC-32C', () => {
  const theirs = load(kafkajsSource('protocol/recordBatch/crc32C/index.js')) as (
    b: Buffer,
  ) => number;

  it('equals kafkajs’s for every length to 300 and at any start', () => {
    const bytes = randomBytes(400);
    for (let length = 0; length <= 300; length++) {
      const start = length % 13;
      const slice = bytes.subarray(start, start + length);
      expect(crc32c(bytes, start, start + length)).toBe(theirs(slice));
    }
  });

  it('gives the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });
});

describe('grouping per partition', () => {
  type Group = (args: {
    topic: string;
    partitionMetadata: unknown[];
    messages: Array<{ partition: number; n: number }>;
    partitioner: (a: { message: { partition: number } }) => number;
  }) => Record<number, unknown[]>;
  const group = modules<Group>('producer/groupMessagesPerPartition.js');

  it('equals kafkajs’s, in order', () => {
    const next = random(3);
    const messages = Array.from({ length: 500 }, (_, n) => ({
      partition: Math.floor(next() * 5),
      n,
    }));
    const args = {
      topic: 't',
      partitionMetadata: [0, 1, 2, 3, 4],
      messages,
      partitioner: ({ message }: { message: { partition: number } }) => message.partition,
    };
    expect(group.current).not.toBe(group.original);
    expect(group.current(args)).toEqual(group.original(args));
    expect(group.current({ ...args, partitionMetadata: [] })).toEqual({});
  });
});

describe('fetched record batches', () => {
  type Decoder = { buffer: Buffer; offset: number; canReadBytes(n: number): boolean };
  const DecoderClass = load(kafkajsSource('protocol/decoder.js')) as new (b: Buffer) => Decoder;
  const { RecordBatch } = load(kafkajsSource('protocol/recordBatch/v0/index.js')) as {
    RecordBatch: (args: object) => Promise<{ buffer: Buffer }>;
  };
  const Record = load(kafkajsSource('protocol/recordBatch/record/v0/index.js')) as (
    args: object,
  ) => object;
  const decoders = modules<(d: Decoder) => Promise<{ records: unknown[] }>>(
    'protocol/recordBatch/v0/decoder.js',
  );

  /** A batch as a broker returns it, written by kafkajs's own encoder. */
  async function batch(
    next: () => number,
    firstOffset: string,
    options: { compression?: number } = {},
  ) {
    const count = 1 + Math.floor(next() * 30);
    const records = Array.from({ length: count }, (_, i) => {
      const headers: Record<string, Buffer | Buffer[]> = {};
      if (next() < 0.3) headers['trace-ü'] = Buffer.from(`t${i}`);
      if (next() < 0.2) headers.repeated = [Buffer.from('a'), Buffer.from('b'), Buffer.from('c')];
      return Record({
        offsetDelta: i,
        timestampDelta: Math.floor(next() * 4e9) - 2e9,
        key: next() < 0.2 ? null : Buffer.from(`key-${i}`),
        value: next() < 0.1 ? null : randomBytes(Math.floor(next() * 300)),
        headers,
      });
    });
    const encoded = await RecordBatch({
      firstOffset: Long.fromValue(firstOffset),
      firstTimestamp: 1_764_000_000_000 + Math.floor(next() * 1e6),
      maxTimestamp: 1_764_000_900_000,
      lastOffsetDelta: count - 1,
      producerId: Long.fromValue(String(Math.floor(next() * 1e12))),
      producerEpoch: 2,
      firstSequence: 17,
      transactional: next() < 0.2,
      records,
      ...options,
    });
    return encoded.buffer;
  }

  /** Decodes every batch in `bytes` as kafkajs's decodeMessages does; notes where each ended. */
  async function decodeAll(decode: (d: Decoder) => Promise<{ records: unknown[] }>, bytes: Buffer) {
    const decoder = new DecoderClass(bytes);
    const batches: unknown[] = [];
    while (decoder.canReadBytes(49)) {
      try {
        batches.push({ batch: await decode(decoder), endedAt: decoder.offset });
      } catch (err) {
        if ((err as Error).name === 'KafkaJSPartialMessageError') break;
        throw err;
      }
    }
    return batches;
  }

  it('decode as kafkajs decodes them: headers, nulls, offsets past 2^53, a cut-off last batch', async () => {
    const next = random(11);
    for (let round = 0; round < 40; round++) {
      const parts = [
        await batch(next, String(Math.floor(next() * 1e9))),
        await batch(next, round % 4 === 0 ? '9007199254740990' : '123'),
        await batch(next, '0'),
      ];
      if (round % 3 === 0) {
        // The timestamp type bit (LOG_APPEND_TIME): every record takes the batch's max timestamp.
        parts[1]![22] = parts[1]![22]! | 0x08;
      }
      let bytes = Buffer.concat(parts);
      if (round % 2 === 1) bytes = bytes.subarray(0, bytes.length - 1 - Math.floor(next() * 40));
      const ours = await decodeAll(decoders.current, bytes);
      const theirs = await decodeAll(decoders.original, bytes);
      expect(ours.length).toBe(round % 2 === 1 ? 2 : 3);
      expect(ours, `round ${round}`).toEqual(theirs);
    }
  });

  it('leave the out-of-the-ordinary to kafkajs: a header named __proto__, a varint past 2^53, a bad length', async () => {
    const odd = async (record: object) =>
      (
        await RecordBatch({
          firstOffset: Long.fromValue('5'),
          firstTimestamp: 1_764_000_000_000,
          maxTimestamp: 1_764_000_000_000,
          lastOffsetDelta: 0,
          producerId: Long.fromValue('1'),
          records: [
            Record({ offsetDelta: 0, key: Buffer.from('k'), value: Buffer.from('v'), ...record }),
          ],
        })
      ).buffer;
    for (const bytes of [
      await odd({ headers: { ['__proto__']: Buffer.from('x') } }),
      await odd({ timestampDelta: Long.fromValue('1152921504606846977') }), // 2^60 + 1
    ]) {
      expect(decodeRecordBatch({ buffer: bytes, offset: 0 })).toBeNull();
      expect(await decodeAll(decoders.current, bytes)).toEqual(
        await decodeAll(decoders.original, bytes),
      );
    }
    // A corrupt length that would point back into the batch: not ours to read, and nothing moved.
    const corrupt = Buffer.from(await odd({}));
    corrupt.writeInt32BE(-12, 8);
    const decoder = { buffer: corrupt, offset: 0 };
    expect(decodeRecordBatch(decoder)).toBeNull();
    expect(decoder.offset).toBe(0);
  });

  it('leave compressed batches to kafkajs', async () => {
    const bytes = await batch(random(5), '42', { compression: 1 });
    const ours = await decodeAll(decoders.current, bytes);
    expect(ours).toEqual(await decodeAll(decoders.original, bytes));
    expect((ours[0] as { batch: { records: unknown[] } }).batch.records.length).toBeGreaterThan(0);
  });

  it('are filtered by offset as kafkajs filters them', async () => {
    type Batch = {
      messages: unknown[];
      messagesWithinOffset: unknown[];
      rawMessages: unknown[];
      firstOffset(): string | null;
      lastOffset(): string;
      offsetLag(): string;
      isEmpty(): boolean;
    };
    const batches = modules<new (t: string, o: string, d: object) => Batch>('consumer/batch.js');
    const decoded = await decodeAll(decoders.original, await batch(random(9), '1000'));
    const messages = (decoded[0] as { batch: { records: unknown[] } }).batch.records;
    for (const fetchedOffset of ['0', '1000', '1005', '999999', '9007199254740993']) {
      const data = { partition: 1, highWatermark: '2000', abortedTransactions: [], messages };
      const ours = new batches.current('t', fetchedOffset, data);
      const theirs = new batches.original('t', fetchedOffset, data);
      expect(batches.current).not.toBe(batches.original);
      expect(ours).toBeInstanceOf(batches.original);
      for (const field of ['messages', 'messagesWithinOffset', 'rawMessages'] as const)
        expect(ours[field]).toEqual(theirs[field]);
      expect([ours.firstOffset(), ours.lastOffset(), ours.offsetLag(), ours.isEmpty()]).toEqual([
        theirs.firstOffset(),
        theirs.lastOffset(),
        theirs.offsetLag(),
        theirs.isEmpty(),
      ]);
    }
  });
});
