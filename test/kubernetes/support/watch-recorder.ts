import { KubeConfig, Watch } from '@kubernetes/client-node';

export interface RecordedEvent {
  type: string;
  object: {
    kind?: string;
    code?: number;
    reason?: string;
    metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  };
}

/** A client-node Watch that records its events and how it ended. */
export class WatchRecorder {
  readonly events: RecordedEvent[] = [];
  ended = false;
  endError: unknown = undefined;
  private controller?: AbortController;

  constructor(private readonly kubeConfig: KubeConfig) {}

  async start(path: string, query: Record<string, string>): Promise<this> {
    const watch = new Watch(this.kubeConfig);
    this.controller = await watch.watch(
      path,
      query,
      (type, object) => this.events.push({ type, object: object as RecordedEvent['object'] }),
      (error) => {
        this.ended = true;
        this.endError = error;
      },
    );
    return this;
  }

  /** `TYPE name` per event, the form most assertions want. */
  summary(): string[] {
    return this.events.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`.trim());
  }

  stop(): void {
    this.controller?.abort();
  }
}
