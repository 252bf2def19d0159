import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsRegistry } from '@focal/platform';
import { errorMessage, type OperatorLog } from '../common/operator-log.js';

export interface HealthSource {
  /** Ready once started, leader or standby, until shutdown begins. */
  isReady(): boolean;
  /** Extra fields for the /readyz body, such as whether this process leads. */
  describe(): Record<string, unknown>;
}

/**
 * The operator's only HTTP surface, on FOCAL_OPERATOR_METRICS_PORT: /healthz (liveness),
 * /readyz (readiness) and /metrics (Prometheus). Plain node:http, as it serves three fixed routes.
 */
export class OperatorHttpServer {
  private server?: Server;

  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly health: HealthSource,
    private readonly address: { host: string; port: number },
    private readonly log: OperatorLog,
  ) {}

  /** The bound port (useful when configured as 0). */
  get port(): number {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the operator HTTP server is not listening');
    return address.port;
  }

  async listen(): Promise<void> {
    if (this.server) return;
    const server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.address.port, this.address.host, () => resolve());
    });
    this.server = server;
    this.log.log({ msg: 'health and metrics listening', port: this.port });
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://operator').pathname;
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return send(response, 405, { error: 'method not allowed' });
      if (path === '/healthz') return send(response, 200, { status: 'ok' });
      if (path === '/readyz') {
        const ready = this.health.isReady();
        return send(response, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...this.health.describe() });
      }
      if (path === '/metrics') {
        const body = await this.metrics.registry.metrics();
        response.writeHead(200, { 'Content-Type': this.metrics.registry.contentType });
        response.end(body);
        return;
      }
      send(response, 404, { error: 'not found' });
    } catch (error) {
      send(response, 500, { error: errorMessage(error) });
    }
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}
