/** A ready model pod as the router sees it. */
export interface PodEndpoint {
  name: string;
  endpoint: string;
}

/**
 * Chooses a pod for each request: the affinity key's pod while it is ready, else the one with the
 * fewest requests in flight (ties broken round-robin, so idle replicas share the load). Pure state,
 * no I/O: the router tells it what is ready and when a call starts and ends.
 */
export class PodBalancer {
  private readonly inflight = new Map<string, number>();
  private readonly affinity = new Map<string, string>();
  private turn = 0;

  constructor(private readonly maxAffinityKeys = 4096) {}

  pick(ready: PodEndpoint[], affinityKey: string | undefined, exclude: ReadonlySet<string>): PodEndpoint | undefined {
    const candidates = ready.filter((pod) => !exclude.has(pod.endpoint));
    if (candidates.length === 0) return undefined;
    const sticky = affinityKey === undefined ? undefined : this.affinity.get(affinityKey);
    const stuck = sticky === undefined ? undefined : candidates.find((pod) => pod.endpoint === sticky);
    if (stuck) return stuck;
    const least = Math.min(...candidates.map((pod) => this.inflight.get(pod.endpoint) ?? 0));
    const tied = candidates.filter((pod) => (this.inflight.get(pod.endpoint) ?? 0) === least);
    return tied[this.turn++ % tied.length];
  }

  begin(pod: PodEndpoint): void {
    this.inflight.set(pod.endpoint, (this.inflight.get(pod.endpoint) ?? 0) + 1);
  }

  end(pod: PodEndpoint): void {
    const left = (this.inflight.get(pod.endpoint) ?? 1) - 1;
    if (left <= 0) this.inflight.delete(pod.endpoint);
    else this.inflight.set(pod.endpoint, left);
  }

  /** Remembers who served the key; the oldest key goes first once the map is full. */
  served(affinityKey: string | undefined, pod: PodEndpoint): void {
    if (affinityKey === undefined) return;
    this.affinity.delete(affinityKey);
    this.affinity.set(affinityKey, pod.endpoint);
    if (this.affinity.size > this.maxAffinityKeys) {
      const oldest = this.affinity.keys().next().value;
      if (oldest !== undefined) this.affinity.delete(oldest);
    }
  }

  inFlight(endpoint: string): number {
    return this.inflight.get(endpoint) ?? 0;
  }
}
