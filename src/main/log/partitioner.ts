/**
 * Partitioners: pure functions from a record key to a partition. Named so the embedded log and
 * the Kafka log (as a kafkajs custom partitioner) use the very same one, and a region lands on
 * the same partition either way.
 */
import { REGIONS } from '../../shared/domain';
import { murmur2 } from './murmur2';

/** A partitioning strategy: the partition in [0, partitionCount) for a key. */
export type Partitioner = (key: string, partitionCount: number) => number;

export const PARTITIONER_NAMES = ['region', 'murmur2'] as const;
export type PartitionerName = (typeof PARTITIONER_NAMES)[number];

/** Kafka's default partitioner for keyed records, byte-compatible with the Java client. */
export const murmur2Partitioner: Partitioner = (key, partitionCount) =>
  (murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % partitionCount;

/** Areas in the order the region partitioner spreads them: with 3 partitions US → 0, EU → 1, ASIA → 2. */
export const AREAS = ['US', 'EU', 'ASIA'] as const;

/**
 * The default. Hashing a handful of region names with murmur2 is badly skewed (with 3
 * partitions, 8 of 9 typical names land on partition 1), so a region key `AREA-City` goes first
 * by its area (index a), then by its city's lane: the partitions congruent to a modulo the number
 * of areas are the area's lanes, and its cities take them in turn. With 3 partitions each area owns
 * one; with 6 each area spreads over two; with 9, every standard region has its own. Cities are
 * numbered by their place in REGIONS (a fixed table, so the function stays pure); a city not in it
 * is hashed to a lane. Keys of another shape fall back to murmur2.
 */
export const regionPartitioner: Partitioner = (key, partitionCount) => {
  const dash = key.indexOf('-');
  const area = dash > 0 ? (AREAS as readonly string[]).indexOf(key.slice(0, dash)) : -1;
  if (area < 0) return murmur2Partitioner(key, partitionCount);
  const known = CITY_ORDINALS.get(key);
  const city = known ?? murmur2(Buffer.from(key.slice(dash + 1), 'utf8')) & 0x7fffffff;
  const lanes = Math.max(1, Math.ceil(partitionCount / AREAS.length));
  return (area + AREAS.length * (city % lanes)) % partitionCount;
};

/** Each standard region's place among its area's cities in REGIONS: US-California 0, US-NewYork 1, ... */
const CITY_ORDINALS: ReadonlyMap<string, number> = new Map(
  AREAS.flatMap((area) =>
    REGIONS.filter((region) => region.startsWith(`${area}-`)).map(
      (region, i) => [region, i] as const,
    ),
  ),
);

const PARTITIONERS: Record<PartitionerName, Partitioner> = {
  region: regionPartitioner,
  murmur2: murmur2Partitioner,
};

export function isPartitionerName(name: string): name is PartitionerName {
  return (PARTITIONER_NAMES as readonly string[]).includes(name);
}

export function partitionerFor(name: PartitionerName): Partitioner {
  return PARTITIONERS[name];
}

/**
 * Wraps a partitioner with a per-key cache: the hot path appends millions of records over a
 * handful of region keys, and hashing each one again would dominate.
 */
export function cachedPartitioner(
  partitioner: Partitioner,
  partitionCount: number,
): (key: string) => number {
  const cache = new Map<string, number>();
  return (key) => {
    let partition = cache.get(key);
    if (partition === undefined) {
      partition = partitioner(key, partitionCount);
      cache.set(key, partition);
    }
    return partition;
  };
}
