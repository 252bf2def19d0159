import type { WorkerInferRequest, WorkerInfo } from '@focal/contracts';

export const INFERENCE_CLIENT = Symbol('INFERENCE_CLIENT');

/** Talks to a model's inference service (a local worker or a Kubernetes Service). */
export interface InferenceClient {
  /** The result holds TensorValues and BytesValues (wire-values.ts) where the client gets big arrays or files. */
  infer(endpoint: string, body: WorkerInferRequest, timeoutMs: number): Promise<Record<string, unknown>>;
  /** True when /readyz answers 200. Never throws. */
  isReady(endpoint: string): Promise<boolean>;
  info(endpoint: string): Promise<WorkerInfo>;
}
