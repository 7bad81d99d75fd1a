/**
 * A log-scale histogram of download speeds, for percentiles (p95) that merge across batches and
 * survive a checkpoint in a few hundred numbers. Buckets grow by 2%, so a percentile is within
 * ~1% of the exact value; an exact p95 would need every speed of the window kept in memory.
 */
const MIN_SPEED = 0.01;
const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);
const LOG_MIN = Math.log(MIN_SPEED);
/** Covers 0.01 to ~10,000 Mbit/s; outside, the first or last bucket. */
export const BUCKETS = 700;

export function bucketOf(speed: number): number {
  if (!(speed > MIN_SPEED)) return 0;
  const index = Math.floor((Math.log(speed) - LOG_MIN) / LOG_GROWTH);
  return index < BUCKETS ? index : BUCKETS - 1;
}

/** The representative speed of a bucket: its geometric middle. */
export function bucketValue(index: number): number {
  return MIN_SPEED * Math.pow(GROWTH, index + 0.5);
}

export type SpeedHistogram = Uint32Array;

export function createHistogram(): SpeedHistogram {
  return new Uint32Array(BUCKETS);
}

/** The q-quantile (0..1) by the nearest-rank method over the buckets; 0 when empty. */
export function quantile(histogram: SpeedHistogram, count: number, q: number): number {
  if (count === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * count));
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]!;
    if (seen >= rank) return bucketValue(i);
  }
  return bucketValue(histogram.length - 1);
}

/** Sparse [bucket, count, bucket, count, ...] for checkpoints. */
export function histogramToPairs(histogram: SpeedHistogram): number[] {
  const pairs: number[] = [];
  for (let i = 0; i < histogram.length; i++) if (histogram[i]) pairs.push(i, histogram[i]!);
  return pairs;
}

export function histogramFromPairs(pairs: readonly number[]): SpeedHistogram {
  const histogram = createHistogram();
  for (let i = 0; i + 1 < pairs.length; i += 2) histogram[pairs[i]!] = pairs[i + 1]!;
  return histogram;
}
