/** Options of one call to a model's replicas. */
export interface DispatchOptions {
  /**
   * Requests with the same key go to the replica that last served it while that replica is ready
   * (SAM3: the image content hash, so the worker's embedding cache hits across replicas). A function,
   * so a runtime with one replica per model never pays for hashing the images.
   */
  affinityKey?: () => string | undefined;
  /** When no replica is ready, wait for one until then (epoch ms). */
  deadline: number;
}

/** Runs one call against an endpoint of a ready replica. */
export type EndpointCall<T> = (endpoint: string) => Promise<T>;
