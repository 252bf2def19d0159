import { MASK_FORMATS, MaskFormat, TENSOR_FORMATS, TensorFormat } from '@focal/contracts';
import { readEnum, readNumber, readPrompts } from '../../params/param.readers.js';

export interface Sam3Params {
  /** Trimmed prompts; every prompt is run on every image. */
  prompts: string[];
  threshold: number;
  maskThreshold: number;
  outputFormat: MaskFormat;
  polygonTolerance: number;
  /** How dense masks come back: nested lists (json) or bit-packed (base64, npy). */
  tensorFormat: TensorFormat;
}

/** Meta's Sam3Processor confidence default (HF's is 0.3); HF's mask threshold. */
export const SAM3_DEFAULTS = {
  threshold: 0.5,
  maskThreshold: 0.5,
  outputFormat: 'dense',
  polygonTolerance: 1,
  tensorFormat: 'json',
} as const;

export function parseSam3Params(raw: Record<string, unknown>): Sam3Params {
  return {
    prompts: readPrompts(raw),
    threshold: readNumber(raw, 'threshold', SAM3_DEFAULTS.threshold, 0, 1),
    maskThreshold: readNumber(raw, 'mask_threshold', SAM3_DEFAULTS.maskThreshold, 0, 1),
    outputFormat: readEnum(raw, 'output_format', MASK_FORMATS, SAM3_DEFAULTS.outputFormat),
    polygonTolerance: readNumber(raw, 'polygon_tolerance', SAM3_DEFAULTS.polygonTolerance, 0, 100),
    tensorFormat: readEnum(raw, 'tensor_format', TENSOR_FORMATS, SAM3_DEFAULTS.tensorFormat),
  };
}
