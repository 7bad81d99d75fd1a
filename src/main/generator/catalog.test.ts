import { describe, expect, it } from 'vitest';
import { buildCatalog } from './catalog';

describe('buildCatalog', () => {
  const catalog = buildCatalog({ seed: 42 });

  it('has at least 100 unique titles across movies, music and apps', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(100);
    expect(new Set(catalog.map((c) => c.title)).size).toBe(catalog.length);
    expect(new Set(catalog.map((c) => c.contentId)).size).toBe(catalog.length);
    const types = new Set(catalog.map((c) => c.type));
    expect([...types].sort()).toEqual(['APP', 'MOVIE', 'MUSIC']);
  });

  it('gives plausible sizes per type', () => {
    for (const c of catalog) {
      if (c.type === 'MOVIE') expect(c.sizeBytes).toBeGreaterThan(5e8);
      if (c.type === 'MUSIC') expect(c.sizeBytes).toBeLessThan(5e7);
      if (c.type === 'APP') expect(c.sizeBytes).toBeLessThan(5e9);
    }
  });

  it('has Zipf-like popularity: a few hits, a long tail', () => {
    const weights = catalog.map((c) => c.popularity).sort((a, b) => b - a);
    const total = weights.reduce((s, w) => s + w, 0);
    const top10 = weights.slice(0, 10).reduce((s, w) => s + w, 0);
    expect(top10 / total).toBeGreaterThan(0.4);
    expect(weights[0]! / weights[1]!).toBeGreaterThan(2);
  });

  it('is the same for the same seed and different for another', () => {
    expect(buildCatalog({ seed: 42 })).toEqual(catalog);
    expect(buildCatalog({ seed: 43 }).map((c) => c.title)).not.toEqual(catalog.map((c) => c.title));
  });
});
