import type { ServerResponse } from 'node:http';
import type { KubeObject } from './kube-object.js';
import type { KubeStatus } from './kube-status.js';
import { apiVersionOf, type ResourceType } from './resource-type.js';
import type { WatchEventType, WatchFilter, WatchSubscriber } from './watch.hub.js';

/**
 * One watch response: newline-delimited JSON `{type, object}` events on a chunked 200 response,
 * which is what client-node's Watch reads line by line.
 */
export class WatchStream implements WatchSubscriber {
  constructor(
    private readonly response: ServerResponse,
    private readonly type: ResourceType,
    readonly filter: WatchFilter,
    private readonly allowBookmarks: boolean,
  ) {}

  open(): void {
    this.response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    this.response.flushHeaders();
  }

  deliver(type: WatchEventType, object: KubeObject): void {
    this.write(type, object);
  }

  /** BOOKMARK events carry only the resourceVersion; sent only to watches that asked with allowWatchBookmarks. */
  bookmark(resourceVersion: number): void {
    if (!this.allowBookmarks) return;
    const object = {
      kind: this.type.kind,
      apiVersion: apiVersionOf(this.type),
      metadata: { resourceVersion: String(resourceVersion) },
    };
    this.write('BOOKMARK', object);
  }

  /** An ERROR event carrying a Status (410 Expired for a too-old resourceVersion), then the end of the stream. */
  fail(status: KubeStatus): void {
    this.write('ERROR', status);
    this.close();
  }

  close(): void {
    if (!this.response.writableEnded) this.response.end();
  }

  private write(type: string, object: unknown): void {
    if (this.response.writableEnded || this.response.destroyed) return;
    this.response.write(`${JSON.stringify({ type, object })}\n`);
  }
}
