/**
 * A short-lived cache of read answers: keyed by route and normalized parameters, kept `ttlMs`
 * (2 s), bounded (oldest out first), cleared whole by any successful mutating request. Concurrent
 * identical reads share one handler call: the entry holds the promise from the first miss.
 */
export interface ReadCacheOptions {
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
}

interface Entry<T> {
  readonly expiresAt: number;
  readonly value: Promise<T>;
}

export class ReadCache<T> {
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry<T>>();

  constructor(options: ReadCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 2000;
    this.maxEntries = options.maxEntries ?? 500;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The cached value for `key`, or `compute()`'s, stored for later. `hit` is true when no
   * computation was started for this call. A failed computation is not kept.
   */
  get(key: string, compute: () => Promise<T>): { value: Promise<T>; hit: boolean } {
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) return { value: entry.value, hit: true };
    if (entry) this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    const value = compute();
    const stored: Entry<T> = { expiresAt: now + this.ttlMs, value };
    this.entries.set(key, stored);
    value.catch(() => {
      if (this.entries.get(key) === stored) this.entries.delete(key);
    });
    return { value, hit: false };
  }

  clear(): void {
    this.entries.clear();
  }
}

/** A key for a route and its validated parameters, independent of the parameters' order. */
export function cacheKey(route: string, params: Readonly<Record<string, unknown>>): string {
  const names = Object.keys(params).sort();
  return `${route}?${JSON.stringify(names.map((name) => [name, params[name]]))}`;
}
