import type { Device } from '../models/model-state.js';
import type { ModelType } from '../models/model-type.js';

/**
 * The API ↔ inference worker protocol (`POST /v1/infer`). The API sends a worker frame
 * (worker-frame.codec.ts, content type FRAME_CONTENT_TYPE) whose value is `{ images, params }`, each image its
 * raw bytes as a BytesValue, already fetched and checked: the worker never fetches URLs. The worker answers with
 * a frame holding the public response body minus `processing_time` (which the API adds), its large arrays as
 * TensorValues and its files as BytesValues. A JSON request (images as base64) gets a JSON answer, for tools.
 */
export interface WorkerInferRequest {
  images: Uint8Array[];
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
