/**
 * Our patch to @platformatic/kafka (patches/, applied by patch-package after every install): record
 * batches of the common shape are written into one buffer instead of a Writer per record. It must
 * give the very bytes the client's general path gives, for any such batch.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createRecordsBatch,
  readRecordsBatch,
  Reader,
  type MessageRecord,
} from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/main/generator/seeded-random';

// The package's entry is dist/index.js; its record batches are in dist/protocol/records.js.
const recordsJs = fileURLToPath(
  new URL('protocol/records.js', import.meta.resolve('@platformatic/kafka')),
);

/** The same message with key and value as plain Uint8Arrays: the client's general, per-record path. */
const general = (m: MessageRecord): MessageRecord =>
  ({
    ...m,
    key: m.key === undefined ? undefined : new Uint8Array(m.key),
    value: new Uint8Array(m.value),
  }) as unknown as MessageRecord;

function randomMessages(random: SeededRandom, count: number): MessageRecord[] {
  const first = BigInt(1_764_000_000_000 + Math.floor(random.next() * 1e9));
  return Array.from({ length: count }, (_, i) => {
    const bytes = (n: number) =>
      Buffer.from(Array.from({ length: n }, () => Math.floor(random.next() * 128)));
    // Deltas of every size the general path writes right: late (negative), equal, a few ms, days.
    const spread = [0, 5, -7_000, 86_400_000 * 3, 2 ** 30, -(2 ** 30)][i % 6]!;
    return {
      topic: 't',
      partition: 0,
      key: i % 5 === 4 ? undefined : bytes(Math.floor(random.next() * 20)),
      value: bytes(i % 7 === 0 ? 300 : Math.floor(random.next() * 120)),
      timestamp: first + BigInt(spread + i),
    };
  });
}

describe('the record-batch patch to @platformatic/kafka', () => {
  it('is applied to the installed client', () => {
    const source = readFileSync(
      recordsJs.replace('package.json', 'dist/protocol/records.js'),
      'utf8',
    );
    expect(source).toContain('function writeSimpleRecords(');
  });

  it('writes the bytes of the client’s general path, for 200 random batches', () => {
    const random = new SeededRandom('record-batch');
    for (let round = 0; round < 200; round++) {
      const messages = randomMessages(random, 1 + Math.floor(random.next() * 300));
      const options = { producerId: 7n, producerEpoch: 1, compression: 'none' as const };
      const fast = createRecordsBatch(
        messages.map((m) => ({ ...m })),
        options,
      ).buffer;
      const reference = createRecordsBatch(messages.map(general), options).buffer;
      expect(fast.equals(reference)).toBe(true);
    }
  });

  it('writes deltas past 2^31 ms right (the general path wraps them: 2^33 read back as 2)', () => {
    const first = 1_764_000_000_000n;
    for (const delta of [2n ** 33n, -(2n ** 32n), 2n ** 45n]) {
      const messages: MessageRecord[] = [
        { topic: 't', key: Buffer.from('EU'), value: Buffer.from('a'), timestamp: first },
        { topic: 't', key: Buffer.from('EU'), value: Buffer.from('b'), timestamp: first + delta },
      ];
      const batch = readRecordsBatch(Reader.from(createRecordsBatch(messages, {}).buffer));
      expect(batch.records.map((r) => r.timestampDelta)).toEqual([0n, delta]);
    }
  });

  it('gives every message of a batch its own timestamp, also with no key or an empty value', () => {
    const messages: MessageRecord[] = [
      { topic: 't', value: Buffer.alloc(0), timestamp: 1000n },
      { topic: 't', key: Buffer.from('EU'), value: Buffer.from('x'), timestamp: 999n },
    ];
    const fast = createRecordsBatch(
      messages.map((m) => ({ ...m })),
      {},
    ).buffer;
    const reference = createRecordsBatch(messages.map(general), {}).buffer;
    expect(fast.equals(reference)).toBe(true);
  });
});
