import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: T;
}

/** A failed call, with the API server's status code and message. */
export class KubeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The node agent's only door to the API server: JSON over HTTPS with the kubeconfig's credentials
 * (client-node reads the kubeconfig; the calls themselves are plain REST, as a kubelet's are).
 */
export class KubeHttpClient {
  private readonly options: https.RequestOptions;
  private readonly server: URL;
  private stopped = false;

  private constructor(config: KubeConfig) {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.server = new URL(cluster.server);
    const options: https.RequestOptions = {};
    void config.applyToHTTPSOptions(options);
    this.options = options;
  }

  static fromFile(path: string): KubeHttpClient {
    const config = new KubeConfig();
    config.loadFromFile(path);
    return new KubeHttpClient(config);
  }

  request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        {
          ...this.options,
          hostname: this.server.hostname,
          port: this.server.port,
          method,
          path,
          headers: {
            accept: 'application/json',
            ...(payload ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
          },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve((text ? JSON.parse(text) : {}) as T);
            let message = text;
            try {
              message = (JSON.parse(text) as { message?: string }).message ?? text;
            } catch {
              /* not JSON: keep the text */
            }
            reject(new KubeHttpError(status, `${method} ${path}: ${status} ${message}`));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /**
   * List, then watch from the list's resourceVersion, for as long as the client runs. On any break
   * (410 Gone, a dropped stream, a restarted server) it lists again and replays the list as ADDED
   * events, so the consumer must treat events as "this is the object now", never as deltas.
   */
  async watch<T extends KubeObject>(path: string, onEvent: (event: WatchEvent<T>) => void): Promise<void> {
    while (!this.stopped) {
      try {
        const list = await this.request<{ items: T[]; metadata: { resourceVersion: string } }>('GET', path);
        for (const object of list.items) onEvent({ type: 'ADDED', object });
        await this.stream(
          `${path}${path.includes('?') ? '&' : '?'}watch=1&allowWatchBookmarks=false&resourceVersion=${list.metadata.resourceVersion}`,
          onEvent,
        );
      } catch {
        /* relist below */
      }
      if (!this.stopped) await sleep(500);
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private stream<T>(path: string, onEvent: (event: WatchEvent<T>) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        { ...this.options, hostname: this.server.hostname, port: this.server.port, method: 'GET', path },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            return reject(new KubeHttpError(res.statusCode ?? 0, `watch ${path}: ${res.statusCode}`));
          }
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let newline: number;
            while ((newline = buffer.indexOf('\n')) >= 0) {
              const line = buffer.slice(0, newline).trim();
              buffer = buffer.slice(newline + 1);
              if (!line) continue;
              const event = JSON.parse(line) as { type: string; object: T };
              // ERROR carries a Status (e.g. 410 Gone): end this watch and relist.
              if (event.type === 'ERROR') return req.destroy();
              if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') {
                onEvent(event as WatchEvent<T>);
              }
            }
          });
          res.on('end', () => resolve());
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  }
}
