/**
 * The slice of Focal's REST contract the page reads (libs/contracts has the full DTOs; they carry NestJS
 * decorators, so the browser bundle keeps these small structural copies instead).
 */
export const FAMILIES = ['sam3', 'grounding_dino', 'depth_anything', 'dinov3'] as const;
export type Family = (typeof FAMILIES)[number];

export type ImageInput = string | { data: string; format: 'url' | 'base64' };

export type MaskFormat = 'dense' | 'rle' | 'polygons';
export type DepthFormat = 'png' | 'npy' | 'glb';

export interface CocoRleMask {
  size: [number, number];
  counts: string;
}

export interface Sam3Detection {
  prompt: string;
  score: number;
  box: number[];
  mask: number[][] | CocoRleMask;
}

export interface Timed {
  processing_time: number;
  model_id?: string;
}

export interface Sam3Response extends Timed {
  results: Sam3Detection[][];
}

export interface DetectionBox {
  label: string;
  score: number;
  box: number[];
}

export interface GroundingDinoResponse extends Timed {
  results: { boxes: DetectionBox[] }[];
}

export interface DepthMetadata {
  shape: number[];
  min: number;
  max: number;
  kind: string;
}

export interface DepthResponse extends Timed {
  depth_data: string;
  metadata: DepthMetadata;
  glb_data?: string;
  npy_data?: string;
}

export interface Dinov3Response extends Timed {
  features: { last_hidden_state: number[][][]; pooler_output: number[][] };
}

export type InferenceResponse = Sam3Response | GroundingDinoResponse | DepthResponse | Dinov3Response;

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface Job {
  job_id: string;
  model_type: string;
  status: JobStatus;
  result: unknown;
  error: string | null;
  attempts: number;
}

export interface ModelStatus {
  model_type: string;
  state: string;
  model_id: string | null;
  device: string | null;
  replicas: number;
  ready_replicas: number;
  error: string | null;
  demo: boolean;
  warnings: string[];
}

export type ModelsStatus = Record<Family, ModelStatus>;
