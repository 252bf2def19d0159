import { join } from 'node:path';

/** One measured difference between Focal (through the real API) and the Hugging Face reference. */
export interface Comparison {
  /** e.g. "dinov3", "depth-anything", "grounding-dino". */
  family: string;
  /** The test image's id (its file name without extension). */
  image: string;
  /** What was compared, e.g. "pixel_values max (levels)", "last_hidden_state rel". */
  metric: string;
  maxError: number;
  tolerance: number;
  /** Free text printed beside the row: p99.9, shapes, quantisation of the stored reference… */
  detail?: string;
}

/** Where the records of one Jest run go; the reporter reads and empties the same file. */
export const COMPARISONS_FILE = join(process.cwd(), '.ci', 'reference-comparisons.jsonl');
