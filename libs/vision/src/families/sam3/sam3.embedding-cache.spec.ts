import { EmbeddingCache } from './sam3.embedding-cache.js';
import { imageContentKey } from './sam3.image-key.js';

/** A compute function that counts its calls. */
function counting<T>(make: () => Promise<T>) {
  const fn = () => {
    fn.calls += 1;
    return make();
  };
  fn.calls = 0;
  return fn;
}

describe('EmbeddingCache', () => {
  it('computes once per key and counts hits and misses', async () => {
    const cache = new EmbeddingCache<string>(4);
    const compute = counting(async () => 'embedding');
    expect(await cache.getOrCompute('k', compute)).toBe('embedding');
    expect(await cache.getOrCompute('k', compute)).toBe('embedding');
    expect(compute.calls).toBe(1);
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, size: 1, capacity: 4 });
  });

  it('shares one computation between concurrent requests for the same key', async () => {
    const cache = new EmbeddingCache<number>(4);
    let release: (value: number) => void = () => undefined;
    const compute = counting(() => new Promise<number>((resolve) => (release = resolve)));
    const first = cache.getOrCompute('k', compute);
    const second = cache.getOrCompute('k', compute);
    release(7);
    expect(await Promise.all([first, second])).toEqual([7, 7]);
    expect(compute.calls).toBe(1);
  });

  it('forgets a failed computation so the next request retries', async () => {
    const cache = new EmbeddingCache<number>(4);
    await expect(cache.getOrCompute('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.getOrCompute('k', async () => 3)).toBe(3);
    expect(cache.stats().misses).toBe(2);
  });

  it('recomputes every time when disabled (capacity 0)', async () => {
    const cache = new EmbeddingCache<number>(0);
    const compute = counting(async () => 1);
    await cache.getOrCompute('k', compute);
    await cache.getOrCompute('k', compute);
    expect(compute.calls).toBe(2);
    expect(cache.stats()).toEqual({ hits: 0, misses: 2, size: 0, capacity: 0 });
  });
});

describe('imageContentKey', () => {
  const image = { width: 2, height: 3, data: Uint8Array.from({ length: 18 }, (_, i) => i * 10) };

  it('depends on the pixels only, not on the object holding them', () => {
    expect(imageContentKey({ ...image, data: image.data.slice() })).toBe(imageContentKey(image));
    expect(imageContentKey(image)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with one byte, and with the dimensions of the same bytes', () => {
    const changed = image.data.slice();
    changed[17] += 1;
    expect(imageContentKey({ ...image, data: changed })).not.toBe(imageContentKey(image));
    expect(imageContentKey({ ...image, width: 3, height: 2 })).not.toBe(imageContentKey(image));
  });
});
