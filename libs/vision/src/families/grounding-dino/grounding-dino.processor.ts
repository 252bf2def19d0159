import type { Tokenizer } from '@huggingface/tokenizers';
import type { RgbImage } from '../../image/rgb-image.js';
import type { GraphManifest, ModelManifest } from '../../manifest/model-manifest.js';
import type { GraphRunner } from '../../pipeline/graph.runner.js';
import type { GraphExpectation, ModelProcessor } from '../../pipeline/model.processor.js';
import { NamedTensors, float32Tensor, int64Tensor } from '../../tensor/tensor.js';
import { loadTokenizer } from '../../text/tokenizer.loader.js';
import { groundingDinoGraph } from './grounding-dino.manifest.js';
import { GroundingDinoParams, parseGroundingDinoParams } from './grounding-dino.params.js';
import { GroundingDinoDetection, postprocessGroundingDino } from './grounding-dino.postprocess.js';
import {
  GROUNDING_DINO_PREPROCESSING,
  GroundingDinoPreprocessing,
  preprocessGroundingDino,
} from './grounding-dino.preprocess.js';
import { GroundingDinoText, encodeGroundingDinoPrompts } from './grounding-dino.prompt.js';
import { GROUNDING_DINO_SPECIAL_TOKEN_IDS, buildTextPhraseMask } from './text-phrase-mask.builder.js';

export interface GroundingDinoResult {
  results: { boxes: GroundingDinoDetection[] }[];
}

export interface GroundingDinoSettings {
  preprocessing: GroundingDinoPreprocessing;
  /** Text positions in the logits (`max_text_len`); longer prompt texts are refused. */
  maxTextLen: number;
  /** Ids that end a phrase for the text self-attention mask; HF's bert-base-uncased ids unless the manifest says. */
  specialTokenIds?: readonly number[];
}

/**
 * Optional inputs of exports that take the phrase-block text mask and position ids from the host (Focal's recipe,
 * the IDEA-repo exports) instead of baking them in at trace time. Fed when the manifest names them.
 */
export const GROUNDING_DINO_TEXT_MASK_INPUTS = { text_self_attention_mask: 3, position_ids: 2 } as const;

const int64Row = (values: readonly number[]) => int64Tensor(BigInt64Array.from(values, BigInt), [1, values.length]);

/**
 * Open-vocabulary detection: every prompt is looked for in every image, one graph run per image (the runner
 * micro-batches them), each box labelled with the prompt whose tokens won (see `winningPhrase`).
 */
export class GroundingDinoProcessor implements ModelProcessor<GroundingDinoParams, GroundingDinoResult> {
  readonly family = 'grounding_dino' as const;
  readonly expectations: Record<string, GraphExpectation>;

  constructor(
    private readonly graph: GraphManifest,
    private readonly tokenizer: Tokenizer,
    private readonly settings: GroundingDinoSettings,
  ) {
    const textMaskInputs = Object.entries(GROUNDING_DINO_TEXT_MASK_INPUTS).filter(([role]) => role in graph.inputs);
    this.expectations = {
      model: {
        inputs: {
          pixel_values: 4,
          pixel_mask: 3,
          input_ids: 2,
          token_type_ids: 2,
          attention_mask: 2,
          ...Object.fromEntries(textMaskInputs),
        },
        outputs: { logits: 3, pred_boxes: 3 },
      },
    };
  }

  /** Validates values and that the prompts fit the model's text length, so a bad request fails before any run. */
  parseParams(raw: Record<string, unknown>): GroundingDinoParams {
    const params = parseGroundingDinoParams(raw);
    this.encode(params);
    return params;
  }

  warmupParams(): GroundingDinoParams {
    return parseGroundingDinoParams({ prompts: ['object'] });
  }

  async infer(images: RgbImage[], params: GroundingDinoParams, runner: GraphRunner): Promise<GroundingDinoResult> {
    const text = this.encode(params);
    const results = await Promise.all(images.map((image) => this.inferOne(image, text, params, runner)));
    return { results: results.map((boxes) => ({ boxes })) };
  }

  private encode(params: GroundingDinoParams): GroundingDinoText {
    return encodeGroundingDinoPrompts(this.tokenizer, params.phrases, this.settings.maxTextLen);
  }

  private async inferOne(image: RgbImage, text: GroundingDinoText, params: GroundingDinoParams, runner: GraphRunner) {
    const pixels = await preprocessGroundingDino(image, this.settings.preprocessing);
    const { inputs, outputs: names } = this.graph;
    const feeds: NamedTensors = {
      [inputs.pixel_values]: float32Tensor(pixels.pixelValues, [1, 3, pixels.height, pixels.width]),
      [inputs.pixel_mask]: int64Tensor(pixels.pixelMask, [1, pixels.height, pixels.width]),
      [inputs.input_ids]: int64Row(text.inputIds),
      [inputs.token_type_ids]: int64Row(text.tokenTypeIds),
      [inputs.attention_mask]: int64Row(text.attentionMask),
      ...this.textMaskFeeds(text.inputIds),
    };
    const outputs = await runner.run('model', feeds);
    const logits = outputs[names.logits];
    const [, numQueries, textPositions] = logits.dims;
    const raw = {
      logits: logits.data as Float32Array,
      predBoxes: outputs[names.pred_boxes].data as Float32Array,
      numQueries,
      textPositions,
    };
    const thresholds = { boxThreshold: params.boxThreshold, textThreshold: params.textThreshold };
    return postprocessGroundingDino(raw, text.spans, params.prompts, thresholds, image);
  }

  /** The phrase-block mask [1,T,T] and position ids [1,T] as int64, for graphs that take them. */
  private textMaskFeeds(inputIds: readonly number[]): NamedTensors {
    const { text_self_attention_mask: maskName, position_ids: positionsName } = this.graph.inputs;
    if (maskName === undefined && positionsName === undefined) return {};
    const length = inputIds.length;
    const built = buildTextPhraseMask(inputIds, 1, length, this.settings.specialTokenIds);
    const feeds: NamedTensors = {};
    if (maskName !== undefined) {
      const data = BigInt64Array.from(built.selfAttentionMask, (v) => BigInt(v));
      feeds[maskName] = int64Tensor(data, [1, length, length]);
    }
    if (positionsName !== undefined) {
      feeds[positionsName] = int64Tensor(
        BigInt64Array.from(built.positionIds, (v) => BigInt(v)),
        [1, length],
      );
    }
    return feeds;
  }
}

function numberSetting(source: Record<string, unknown> | undefined, key: string, fallback: number): number {
  const value = source?.[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new Error(`focal-model.json: ${key} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Builds the processor for a model folder: its tokenizer.json, tensor names from graph "model", size overrides. */
export async function createGroundingDinoProcessor(
  modelDir: string,
  manifest: ModelManifest,
): Promise<GroundingDinoProcessor> {
  const tokenizer = await loadTokenizer(modelDir);
  const defaults = GROUNDING_DINO_PREPROCESSING;
  return new GroundingDinoProcessor(groundingDinoGraph(manifest), tokenizer, {
    preprocessing: {
      ...defaults,
      shortestEdge: numberSetting(manifest.preprocessing, 'shortest_edge', defaults.shortestEdge),
      longestEdge: numberSetting(manifest.preprocessing, 'longest_edge', defaults.longestEdge),
    },
    maxTextLen: numberSetting(manifest.config, 'max_text_len', 256),
    specialTokenIds: specialTokenIdsSetting(manifest.config),
  });
}

/** `config.special_token_ids` of focal-model.json: for exports whose vocabulary puts [CLS] [SEP] . ? elsewhere. */
function specialTokenIdsSetting(config: Record<string, unknown> | undefined): readonly number[] {
  const value = config?.special_token_ids;
  if (value === undefined) return GROUNDING_DINO_SPECIAL_TOKEN_IDS;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new Error(`focal-model.json: special_token_ids must be a list of token ids, got ${JSON.stringify(value)}`);
  }
  return value as number[];
}
