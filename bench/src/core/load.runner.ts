import { performance } from 'node:perf_hooks';

export interface LoadOptions {
  /** Requests in flight at once (closed loop: each lane sends its next request when the last returns). */
  concurrency: number;
  requests: number;
}

export interface LoadResult {
  latenciesMs: number[];
  wallMs: number;
  requests: number;
}

/**
 * A closed-loop load: `concurrency` lanes share a counter of `requests` calls. Per-call latency and
 * the wall time of the whole block (throughput = requests / wall) are both recorded.
 */
export async function runLoad(call: (index: number) => Promise<unknown>, options: LoadOptions): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < options.requests) {
      const index = next++;
      const started = performance.now();
      await call(index);
      latenciesMs.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.requests) }, lane));
  return { latenciesMs, wallMs: performance.now() - started, requests: options.requests };
}
