import { Inject, Injectable } from '@nestjs/common';
import { LookupAddress, lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { ApiConfig } from '@focal/config';
import { InvalidInputError, PayloadTooLargeError } from '@focal/contracts';
import { API_CONFIG } from '../config/api-config.token.js';
import { isAddressAllowed } from './address.policy.js';
import type { UrlFetcher } from './url.fetcher.js';

const MAX_REDIRECTS = 3;

/**
 * Image URL fetching with an SSRF guard. The address check runs inside the socket's DNS lookup,
 * so the address that is checked is the address that is connected to (no DNS-rebinding gap),
 * and every redirect hop is checked again.
 */
@Injectable()
export class GuardedHttpFetcher implements UrlFetcher {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  async fetch(url: string): Promise<Buffer> {
    const deadline = AbortSignal.timeout(this.config.limits.urlTimeoutMs);
    let current = this.parse(url);
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const result = await this.get(current, deadline);
      if ('body' in result) return result.body;
      current = this.parse(this.redirectTarget(result.location, current));
    }
    throw new InvalidInputError(`image URL ${url} redirected more than ${MAX_REDIRECTS} times`);
  }

  /** A malformed Location is the remote host's fault, reported like any other bad URL (400, not 500). */
  private redirectTarget(location: string, base: URL): string {
    try {
      return new URL(location, base).toString();
    } catch {
      throw new InvalidInputError(`image URL ${base.href} redirected to an invalid location "${location}"`);
    }
  }

  private parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new InvalidInputError(`image URL "${raw}" is not a valid URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InvalidInputError(`image URL must use http or https, got ${url.protocol}`);
    }
    // Sockets skip the DNS lookup (and so the guard in it) for literal addresses: check those here.
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) && !isAddressAllowed(literal, this.config.limits.allowPrivateUrls)) {
      throw new InvalidInputError(
        `image URL address ${literal} is not allowed (set FOCAL_ALLOW_PRIVATE_URLS=true to allow private addresses)`,
      );
    }
    return url;
  }

  private guardedLookup(): LookupFunction {
    const allowPrivate = this.config.limits.allowPrivateUrls;
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
        if (error) return callback(error, '', 4);
        const refused = addresses.find((a) => !isAddressAllowed(a.address, allowPrivate));
        if (refused || addresses.length === 0) {
          const reason = `image URL host ${hostname} resolves to ${refused?.address ?? 'nothing'}, which is not allowed`;
          return callback(Object.assign(new Error(reason), { code: 'FOCAL_ADDRESS_REFUSED' }), '', 4);
        }
        if ((options as { all?: boolean }).all)
          return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        return callback(null, addresses[0].address, addresses[0].family);
      });
    };
  }

  private get(url: URL, signal: AbortSignal): Promise<{ body: Buffer } | { location: string }> {
    const maxBytes = this.config.limits.maxImageBytes;
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => reject(this.describe(url, error, signal));
      const request = client.get(url, { lookup: this.guardedLookup(), signal }, (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400 && response.headers.location) {
          response.resume();
          return resolve({ location: response.headers.location });
        }
        if (status !== 200) {
          response.resume();
          return reject(new InvalidInputError(`image URL ${url.href} answered HTTP ${status}`));
        }
        const declared = Number(response.headers['content-length'] ?? 0);
        if (declared > maxBytes) {
          response.destroy();
          return reject(new PayloadTooLargeError(`image at ${url.href} is larger than ${maxBytes} bytes`));
        }
        const chunks: Buffer[] = [];
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > maxBytes) {
            response.destroy();
            reject(new PayloadTooLargeError(`image at ${url.href} is larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve({ body: Buffer.concat(chunks) }));
        response.on('error', fail);
      });
      request.on('error', fail);
    });
  }

  private describe(url: URL, error: Error, signal: AbortSignal): Error {
    if ((error as { code?: string }).code === 'FOCAL_ADDRESS_REFUSED') {
      return new InvalidInputError(`${error.message} (set FOCAL_ALLOW_PRIVATE_URLS=true to allow private addresses)`);
    }
    if (signal.aborted)
      return new InvalidInputError(`image URL ${url.href} timed out after ${this.config.limits.urlTimeoutMs} ms`);
    return new InvalidInputError(`image URL ${url.href} could not be fetched: ${error.message}`);
  }
}
