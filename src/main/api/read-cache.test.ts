import { describe, expect, it } from 'vitest';
import { cacheKey, ReadCache } from './read-cache';

describe('ReadCache', () => {
  it('keeps answers ttlMs, evicts the oldest beyond its bound, and forgets failures', async () => {
    let now = 0;
    const cache = new ReadCache<number>({ ttlMs: 2000, maxEntries: 3, now: () => now });
    let calls = 0;
    const compute = async () => ++calls;
    expect(cache.get('a', compute).hit).toBe(false);
    expect(await cache.get('a', compute).value).toBe(1);
    now = 1999;
    expect(cache.get('a', compute).hit).toBe(true);
    now = 2000;
    expect(cache.get('a', compute).hit).toBe(false);
    for (const key of ['b', 'c', 'd']) cache.get(key, compute);
    expect(cache.size).toBe(3);
    expect(cache.get('a', compute).hit).toBe(false); // 'a' was the oldest: evicted
    const failing = cache.get('e', () => Promise.reject(new Error('no')));
    await expect(failing.value).rejects.toThrow('no');
    expect(cache.get('e', compute).hit).toBe(false);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('keys on the parameters whatever their order', () => {
    expect(cacheKey('r', { a: 1, b: 'x' })).toBe(cacheKey('r', { b: 'x', a: 1 }));
    expect(cacheKey('r', { a: 1 })).not.toBe(cacheKey('s', { a: 1 }));
    expect(cacheKey('r', { a: 1 })).not.toBe(cacheKey('r', { a: '1' }));
  });
});
