import http from 'node:http';
import https from 'node:https';
import { ResponseBodyCollector } from './response-body.collector.js';

export interface PooledRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Written in order (no concatenation); the Content-Length is their total. */
  body?: readonly Buffer[];
  timeoutMs: number;
}

export interface PooledResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

/** The request did not finish in time: the work may have been done (unlike a refused connection). */
export class RequestTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * HTTP/1.1 to inference workers over kept-alive, pooled connections (one pool per process, shared by the
 * local runtime and Kubernetes). A request that fails on a reused idle socket the peer had just closed is
 * sent once more on a fresh one (Node's documented `reusedSocket` case): the peer never saw it.
 */
export class PooledHttpClient {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, scheduling: 'lifo' }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, scheduling: 'lifo' }),
  };

  async request(url: string, init: PooledRequest): Promise<PooledResponse> {
    try {
      return await this.once(new URL(url), init);
    } catch (error) {
      if (
        (error as { reusedSocket?: boolean }).reusedSocket &&
        (error as NodeJS.ErrnoException).code === 'ECONNRESET'
      ) {
        return this.once(new URL(url), init);
      }
      throw error;
    }
  }

  close(): void {
    for (const agent of Object.values(this.agents)) agent.destroy();
  }

  private once(url: URL, init: PooledRequest): Promise<PooledResponse> {
    const transport = url.protocol === 'https:' ? https : http;
    const agent = this.agents[url.protocol as 'http:' | 'https:'];
    const length = (init.body ?? []).reduce((n, chunk) => n + chunk.length, 0);
    const headers = { ...init.headers, ...(init.body ? { 'content-length': String(length) } : {}) };
    return new Promise((resolve, reject) => {
      const req = transport.request(url, { method: init.method, headers, agent }, (res) => {
        const body = new ResponseBodyCollector(res.headers['content-length']);
        res.on('data', (chunk: Buffer) => body.add(chunk));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'] ?? '',
            body: body.result(),
          });
        });
        res.on('error', fail);
      });
      const timer = setTimeout(() => req.destroy(new RequestTimeoutError('timed out')), init.timeoutMs);
      function fail(error: Error): void {
        clearTimeout(timer);
        Object.assign(error, { reusedSocket: req.reusedSocket });
        reject(error);
      }
      req.on('error', fail);
      for (const chunk of init.body ?? []) req.write(chunk);
      req.end();
    });
  }
}
