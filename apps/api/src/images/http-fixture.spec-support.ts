import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 with a fixed route table, counting the requests it receives. */
export class HttpFixture {
  readonly hits: string[] = [];
  private server: http.Server | undefined;

  constructor(private readonly routes: Record<string, Route>) {}

  async start(): Promise<this> {
    this.server = http.createServer((request, response) => {
      const path = request.url ?? '/';
      this.hits.push(path);
      // No keep-alive: a pooled socket would skip the client's DNS lookup (and so its address guard) on reuse,
      // which would make the outcome of one test depend on the ones before it.
      response.setHeader('connection', 'close');
      const route = this.routes[path];
      if (route) route(request, response);
      else response.writeHead(404, { 'content-type': 'text/plain' }).end('no such route');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  url(path: string, host = '127.0.0.1'): string {
    return `http://${host}:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/** A route that answers 200 with `body` and its Content-Length. */
export function serve(body: Uint8Array, contentType = 'application/octet-stream'): Route {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': contentType, 'content-length': String(body.length) });
    response.end(Buffer.from(body));
  };
}

/** A route that redirects with `status` to `location`. */
export function redirect(location: string, status = 302): Route {
  return (_request, response) => {
    response.writeHead(status, { location });
    response.end();
  };
}
