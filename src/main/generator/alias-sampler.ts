import type { SeededRandom } from './seeded-random';

/**
 * Walker's alias method: after O(n) set-up, each weighted draw costs one random number and one
 * comparison, whatever the number of outcomes (the catalog's Zipf popularity has 100+).
 */
export class AliasSampler {
  readonly size: number;
  private readonly probability: Float64Array;
  private readonly alias: Uint32Array;

  constructor(weights: readonly number[]) {
    const n = weights.length;
    const total = weights.reduce((sum, w) => sum + w, 0);
    if (n === 0 || !(total > 0) || weights.some((w) => !(w >= 0))) {
      throw new RangeError(
        'AliasSampler needs at least one non-negative weight and a positive total',
      );
    }
    this.size = n;
    this.probability = new Float64Array(n);
    this.alias = new Uint32Array(n);
    const scaled = weights.map((w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.probability[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) this.probability[i] = 1;
  }

  /** An index drawn with probability proportional to its weight. */
  sample(random: SeededRandom): number {
    const u = random.next() * this.size;
    const i = Math.floor(u);
    return u - i < this.probability[i]! ? i : this.alias[i]!;
  }
}
