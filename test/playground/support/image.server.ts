import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ImageServer {
  url: string;
  /** User agents of the requests served, in order (the browser's, and the API's own fetch). */
  userAgents: string[];
  close(): Promise<void>;
}

/** Serves one PNG on 127.0.0.1 with CORS open, so the page can draw it and Focal can fetch it. */
export async function serveImage(png: Buffer): Promise<ImageServer> {
  const userAgents: string[] = [];
  const server = createServer((req, res) => {
    userAgents.push(req.headers['user-agent'] ?? '');
    res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' });
    res.end(png);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/image.png`,
    userAgents,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
