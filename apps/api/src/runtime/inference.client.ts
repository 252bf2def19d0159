import type { WorkerInfo } from '@focal/contracts';

export const INFERENCE_CLIENT = Symbol('INFERENCE_CLIENT');

/** Talks to a model's inference service (a local worker or a Kubernetes Service). */
export interface InferenceClient {
  infer(
    endpoint: string,
    body: { images: string[]; params: Record<string, unknown> },
    timeoutMs: number,
  ): Promise<Record<string, unknown>>;
  /** True when /readyz answers 200. Never throws. */
  isReady(endpoint: string): Promise<boolean>;
  info(endpoint: string): Promise<WorkerInfo>;
}
