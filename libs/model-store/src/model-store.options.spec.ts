import { resolveStoreOptions } from './model-store.options.js';

describe('resolveStoreOptions', () => {
  it('fills defaults and makes the cache path absolute', () => {
    const options = resolveStoreOptions({ cacheDir: 'relative/cache' });
    expect(options.cacheDir).toBe(`${process.cwd()}/relative/cache`);
    expect(options).toMatchObject({
      endpoint: 'https://huggingface.co',
      offline: false,
      token: undefined,
      maxRetries: 3,
    });
  });

  it('trims the endpoint, drops an empty token and enforces the lock stale minimum', () => {
    const options = resolveStoreOptions({
      cacheDir: '/c',
      endpoint: 'http://mirror:8080/',
      token: '',
      lockStaleMs: 10,
    });
    expect(options).toMatchObject({ endpoint: 'http://mirror:8080', token: undefined, lockStaleMs: 2000 });
  });

  it('refuses endpoints that are not http(s)', () => {
    expect(() => resolveStoreOptions({ cacheDir: '/c', endpoint: 'ftp://hub' })).toThrow(/http/);
  });
});
