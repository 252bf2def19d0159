import type { ModelManifest } from '../../manifest/model-manifest.js';
import type { BoxFormat } from './sam3.postprocess.js';
import { SAM3_PREPROCESSING, Sam3Preprocessing } from './sam3.preprocess.js';
import type { Sam3TextSettings } from './sam3.prompt.js';

/** What a SAM3 export fixes at trace time, read from focal-model.json (`preprocessing`, `config`). */
export interface Sam3Settings {
  preprocessing: Sam3Preprocessing;
  text: Sam3TextSettings;
  boxFormat: BoxFormat;
}

function integerSetting(
  source: Record<string, unknown> | undefined,
  key: string,
  fallback: number,
  min: number,
): number {
  const value = source?.[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new Error(`focal-model.json: ${key} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function boxFormatSetting(config: Record<string, unknown> | undefined): BoxFormat {
  const value = config?.box_format ?? 'xyxy';
  if (value !== 'xyxy' && value !== 'cxcywh') {
    throw new Error(`focal-model.json: box_format must be "xyxy" or "cxcywh", got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Defaults are HF's: 1008 px, 32 tokens padded with `<|endoftext|>` (49407), xyxy boxes. */
export function sam3Settings(manifest: ModelManifest): Sam3Settings {
  return {
    preprocessing: {
      ...SAM3_PREPROCESSING,
      imageSize: integerSetting(manifest.preprocessing, 'image_size', SAM3_PREPROCESSING.imageSize, 1),
    },
    text: {
      maxLength: integerSetting(manifest.config, 'max_text_length', 32, 2),
      padTokenId: integerSetting(manifest.config, 'pad_token_id', 49407, 0),
    },
    boxFormat: boxFormatSetting(manifest.config),
  };
}
