import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveStoreOptions } from '../model-store.options.js';
import { httpGet } from './http-client.js';

const settings = resolveStoreOptions({ cacheDir: '/unused' });

describe('httpGet', () => {
  let server: Server;
  let port: number;
  const seen: { host: string; path: string; authorization: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ host: req.headers.host ?? '', path: req.url ?? '', authorization: req.headers.authorization });
      const next: Record<string, string> = {
        '/renamed': '/moved',
        '/moved': `http://localhost:${port}/cdn`,
        '/cdn': `http://127.0.0.1:${port}/back`,
        '/loop': '/loop',
        '/ftp': 'ftp://elsewhere/file',
      };
      const location = next[req.url ?? ''];
      res.writeHead(location === undefined ? 200 : 302, location === undefined ? {} : { Location: location });
      res.end(req.url);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    seen.length = 0;
  });

  it('sends the token only to the origin it belongs to across redirects', async () => {
    const response = await httpGet(
      `http://127.0.0.1:${port}/renamed`,
      { token: 'hf_secret', signal: new AbortController().signal },
      settings,
    );
    expect(await response.text()).toBe('/back');
    expect(seen.map((r) => [r.path, r.authorization])).toEqual([
      ['/renamed', 'Bearer hf_secret'],
      ['/moved', 'Bearer hf_secret'],
      ['/cdn', undefined],
      ['/back', 'Bearer hf_secret'],
    ]);
    expect(seen[2]?.host).toBe(`localhost:${port}`);
  });

  it('gives up on redirect loops and on non-http targets', async () => {
    const signal = new AbortController().signal;
    await expect(httpGet(`http://127.0.0.1:${port}/loop`, { signal }, settings)).rejects.toThrow(
      /more than 10 redirects/,
    );
    await expect(httpGet(`http://127.0.0.1:${port}/ftp`, { signal }, settings)).rejects.toThrow(
      /unsupported protocol ftp:/,
    );
  });
});
