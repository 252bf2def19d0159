/**
 * The SSRF guard on redirect hops with FOCAL_ALLOW_PRIVATE_URLS=false. A first hop has to be allowed for
 * a redirect to happen at all, and no public address is reachable from a test, so this file swaps in
 * two stand-ins (the rest of the fetcher, node:http and the test server are real):
 *  - an address policy under which 127.0.0.1 plays the part of a public address and nothing else is allowed;
 *  - a resolver with a few fixed names: public.test → 127.0.0.1, internal.test → 127.0.0.2 (private
 *    under the stand-in), mixed.test → both a public and a private address, empty.test → no address.
 * The real policy is covered by address.policy.spec.ts, and the real resolver path by guarded-http.fetcher.spec.ts.
 */
import { jest } from '@jest/globals';
import type { LookupAddress } from 'node:dns';
import { buildApiConfig } from '@focal/config';
import { HttpFixture, redirect, serve } from './http-fixture.spec-support.js';

const policyCalls: string[] = [];
jest.unstable_mockModule('./address.policy.js', () => ({
  isAddressAllowed: (address: string) => {
    policyCalls.push(address);
    return address === '127.0.0.1';
  },
}));

const HOSTS: Record<string, LookupAddress[]> = {
  'public.test': [{ address: '127.0.0.1', family: 4 }],
  'internal.test': [{ address: '127.0.0.2', family: 4 }],
  'mixed.test': [
    { address: '127.0.0.1', family: 4 },
    { address: '10.0.0.7', family: 4 },
  ],
  'empty.test': [],
};
type LookupCallback = (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void;
function fakeLookup(hostname: string, _options: unknown, callback: LookupCallback): void {
  const addresses = HOSTS[hostname];
  if (!addresses) {
    callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    return;
  }
  setImmediate(() => callback(null, addresses));
}
jest.unstable_mockModule('node:dns', () => ({ lookup: fakeLookup, default: { lookup: fakeLookup } }));

const { GuardedHttpFetcher } = await import('./guarded-http.fetcher.js');

const IMAGE = Uint8Array.from([1, 2, 3, 4, 5]);
let fixture: HttpFixture;

beforeAll(async () => {
  const port = () => fixture.port;
  fixture = await new HttpFixture({
    '/image': serve(IMAGE),
    '/to-internal-name': (request, response) => redirect(`http://internal.test:${port()}/image`)(request, response),
    '/to-private-literal': redirect('http://10.0.0.5/image'),
    '/to-loopback-v6': redirect('http://[::1]/image'),
    '/to-public-name': (request, response) => redirect(`http://public.test:${port()}/image`)(request, response),
  }).start();
});
afterAll(() => fixture.stop());
beforeEach(() => {
  fixture.hits.length = 0;
  policyCalls.length = 0;
});

const fetcher = () =>
  new GuardedHttpFetcher(buildApiConfig({ FOCAL_ALLOW_PRIVATE_URLS: 'false', FOCAL_URL_TIMEOUT_MS: '2000' }));

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe('GuardedHttpFetcher redirect hops (private URLs refused)', () => {
  it('fetches from an allowed name, checking the address it resolved to', async () => {
    const body = await fetcher().fetch(`http://public.test:${fixture.port}/image`);
    expect(Array.from(body)).toEqual([1, 2, 3, 4, 5]);
    expect(policyCalls).toEqual(['127.0.0.1']);
  });

  it('follows a redirect to another allowed name', async () => {
    const body = await fetcher().fetch(`http://public.test:${fixture.port}/to-public-name`);
    expect(body.length).toBe(IMAGE.length);
    expect(fixture.hits).toEqual(['/to-public-name', '/image']);
  });

  it('refuses a redirect to a name that resolves to a private address, without connecting to it', async () => {
    const error = await failure(fetcher().fetch(`http://public.test:${fixture.port}/to-internal-name`));
    expect(error.message).toBe(
      'image URL host internal.test resolves to 127.0.0.2, which is not allowed (set FOCAL_ALLOW_PRIVATE_URLS=true to allow private addresses)',
    );
    expect(fixture.hits).toEqual(['/to-internal-name']);
  });

  it('refuses a redirect to a private IP literal', async () => {
    const error = await failure(fetcher().fetch(`http://public.test:${fixture.port}/to-private-literal`));
    expect(error.message).toBe(
      'image URL address 10.0.0.5 is not allowed (set FOCAL_ALLOW_PRIVATE_URLS=true to allow private addresses)',
    );
  });

  it('refuses a redirect to an IPv6 loopback literal', async () => {
    const error = await failure(fetcher().fetch(`http://public.test:${fixture.port}/to-loopback-v6`));
    expect(error.message).toMatch(/^image URL address ::1 is not allowed/);
  });

  it('refuses a name when any of its addresses is refused, naming that address', async () => {
    const error = await failure(fetcher().fetch(`http://mixed.test:${fixture.port}/image`));
    expect(error.message).toMatch(/^image URL host mixed\.test resolves to 10\.0\.0\.7, which is not allowed/);
    expect(fixture.hits).toEqual([]);
  });

  it('refuses a name that resolves to no address', async () => {
    const error = await failure(fetcher().fetch(`http://empty.test:${fixture.port}/image`));
    expect(error.message).toMatch(/^image URL host empty\.test resolves to nothing, which is not allowed/);
  });

  it('reports a name that does not resolve as a fetch failure', async () => {
    const error = await failure(fetcher().fetch(`http://nowhere.test:${fixture.port}/image`));
    expect(error.message).toBe(
      `image URL http://nowhere.test:${fixture.port}/image could not be fetched: getaddrinfo ENOTFOUND nowhere.test`,
    );
  });
});
