import type { Device } from '../models/model-state.js';
import type { ModelType } from '../models/model-type.js';

/**
 * The API ↔ inference worker protocol (`POST /v1/infer`). Images arrive already resolved to base64:
 * the worker never fetches URLs. The worker answers with the public response body minus
 * `processing_time`, which the API adds.
 */
export interface WorkerInferRequest {
  images: string[];
  params: Record<string, unknown>;
}

export interface WorkerInfo {
  model_type: ModelType;
  model_id: string;
  model_dir: string;
  demo: boolean;
  device: Device;
  requested_device: Device;
  providers: string[];
  warnings: string[];
  load_time: number;
  graphs: Record<string, { inputs: string[]; outputs: string[] }>;
}

/** Sent over the IPC channel of a locally spawned worker once it listens (port 0 is allowed). */
export interface WorkerListeningMessage {
  type: 'listening';
  port: number;
}
