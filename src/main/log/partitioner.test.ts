import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { murmur2 } from './murmur2';
import {
  cachedPartitioner,
  murmur2Partitioner,
  partitionerFor,
  regionPartitioner,
} from './partitioner';

interface Vectors {
  murmur2: { key: string; hash: number }[];
  regionsInto3Partitions: { key: string; hash?: number; partition: number }[];
}

// shared/ sits beside the repository (../shared from its root), locally and in CI.
const vectorsFile = fileURLToPath(
  new URL('../../../../shared/testdata/murmur2-vectors.json', import.meta.url),
);
const vectors = JSON.parse(fs.readFileSync(vectorsFile, 'utf8')) as Vectors;

describe('murmur2', () => {
  it('has test vectors to check against', () => {
    expect(vectors.murmur2.length).toBeGreaterThanOrEqual(6);
    expect(vectors.regionsInto3Partitions.length).toBe(9);
  });

  it.each(vectors.murmur2)('hashes $key exactly as the Java client does', ({ key, hash }) => {
    expect(murmur2(Buffer.from(key, 'utf8'))).toBe(hash);
  });

  it('matches the recorded hashes of region names', () => {
    for (const { key, hash } of vectors.regionsInto3Partitions) {
      if (hash !== undefined) expect(murmur2(Buffer.from(key, 'utf8'))).toBe(hash);
    }
  });
});

describe('murmur2 partitioner', () => {
  it.each(vectors.regionsInto3Partitions)(
    'puts $key on partition $partition of 3, like Kafka',
    ({ key, partition }) => {
      expect(murmur2Partitioner(key, 3)).toBe(partition);
      expect(partitionerFor('murmur2')(key, 3)).toBe(partition);
    },
  );
});

describe('region partitioner', () => {
  const regions = vectors.regionsInto3Partitions.map((row) => row.key);

  it('puts US-*, EU-* and ASIA-* on partitions 0, 1 and 2 of 3', () => {
    for (const key of regions) {
      const expected = key.startsWith('US-') ? 0 : key.startsWith('EU-') ? 1 : 2;
      expect(regionPartitioner(key, 3)).toBe(expected);
    }
  });

  it.each([3, 6, 9])(
    'uses every one of %i partitions for the nine regions, within one of even',
    (count) => {
      const load = new Array<number>(count).fill(0);
      for (const key of regions) load[regionPartitioner(key, count)]! += 1;
      expect(Math.min(...load)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(1);
    },
  );

  it('uses every partition of 3 for the nine regions (unlike murmur2 with them)', () => {
    expect(new Set(regions.map((key) => regionPartitioner(key, 3))).size).toBe(3);
    expect(new Set(regions.map((key) => murmur2Partitioner(key, 3))).size).toBeLessThan(3);
  });

  it('is stable: same key, same partition, cached or not', () => {
    const cached = cachedPartitioner(regionPartitioner, 6);
    for (const key of [...regions, 'no-area-key', 'MARS-Base']) {
      const first = regionPartitioner(key, 6);
      expect(first).toBeGreaterThanOrEqual(0);
      expect(first).toBeLessThan(6);
      expect(regionPartitioner(key, 6)).toBe(first);
      expect(cached(key)).toBe(first);
      expect(cached(key)).toBe(first);
    }
  });

  it('falls back to murmur2 for keys that are not AREA-City', () => {
    for (const key of ['plain', 'MARS-Base', '-US']) {
      expect(regionPartitioner(key, 3)).toBe(murmur2Partitioner(key, 3));
    }
  });
});
