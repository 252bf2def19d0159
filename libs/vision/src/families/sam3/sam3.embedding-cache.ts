import { LruCache } from './lru.cache.js';

export interface CacheStats {
  hits: number;
  misses: number;
  size: number;
  capacity: number;
}

/**
 * Memoises an expensive async computation (an encoder run) by key in an LRU. The promise itself is stored, so
 * concurrent requests for the same key share one run; a failed run is dropped so the next request retries.
 */
export class EmbeddingCache<V> {
  private readonly lru: LruCache<string, Promise<V>>;
  private hits = 0;
  private misses = 0;

  constructor(capacity: number) {
    this.lru = new LruCache(capacity);
  }

  getOrCompute(key: string, compute: () => Promise<V>): Promise<V> {
    const cached = this.lru.get(key);
    if (cached) {
      this.hits += 1;
      return cached;
    }
    this.misses += 1;
    const pending = compute();
    this.lru.set(key, pending);
    pending.catch(() => {
      if (this.lru.peek(key) === pending) this.lru.delete(key);
    });
    return pending;
  }

  stats(): CacheStats {
    return { hits: this.hits, misses: this.misses, size: this.lru.size, capacity: this.lru.capacity };
  }
}
