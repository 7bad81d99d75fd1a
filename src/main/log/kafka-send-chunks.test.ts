import { describe, expect, it } from 'vitest';
import { sendChunks } from './kafka-send-chunks';

const message = (n: number, valueBytes: number) => ({
  key: Buffer.from('eu-west'),
  value: Buffer.alloc(valueBytes, n % 256),
  n,
});

describe('a partition’s share of produce requests', () => {
  it('is at most 4,000 messages, in order', () => {
    const messages = Array.from({ length: 10_000 }, (_, n) => message(n, 97));
    const chunks = sendChunks(messages);
    expect(chunks.map((c) => c.length)).toEqual([4000, 4000, 2000]);
    expect(chunks.flat().map((m) => m.n)).toEqual(messages.map((m) => m.n));
  });

  it('is at most 512 KiB of keys and values, so a batch stays under the brokers’ 1 MiB', () => {
    const messages = Array.from({ length: 300 }, (_, n) => message(n, 4096));
    const chunks = sendChunks(messages);
    for (const chunk of chunks) {
      const bytes = chunk.reduce((sum, m) => sum + m.key.length + m.value.length, 0);
      expect(bytes).toBeLessThanOrEqual(512 * 1024);
    }
    expect(chunks.length).toBe(3);
    expect(chunks.flat()).toHaveLength(300);
  });

  it('sends a message larger than that alone, and nothing for nothing', () => {
    expect(
      sendChunks([message(1, 10), message(2, 600_000), message(3, 10)]).map((c) => c.length),
    ).toEqual([1, 1, 1]);
    expect(sendChunks([])).toEqual([]);
  });
});
