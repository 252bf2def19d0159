import type { Tokenizer } from '@huggingface/tokenizers';
import type { RgbImage } from '../../image/rgb-image.js';
import type { ModelManifest } from '../../manifest/model-manifest.js';
import type { GraphRunner } from '../../pipeline/graph.runner.js';
import type { GraphExpectation, ModelProcessor } from '../../pipeline/model.processor.js';
import { NamedTensors, Tensor, int64Tensor } from '../../tensor/tensor.js';
import { loadTokenizer } from '../../text/tokenizer.loader.js';
import { CacheStats, EmbeddingCache } from './sam3.embedding-cache.js';
import { imageContentKey } from './sam3.image-key.js';
import { SAM3_GRAPHS, Sam3Graphs, sam3Expectations, sam3Graphs } from './sam3.manifest.js';
import { Sam3Mask, formatMask } from './sam3.mask-format.js';
import { SAM3_DEFAULTS, Sam3Params, parseSam3Params } from './sam3.params.js';
import { BoxXyxy, Sam3RawOutputs, postprocessSam3 } from './sam3.postprocess.js';
import { preprocessSam3 } from './sam3.preprocess.js';
import { encodeSam3Prompt } from './sam3.prompt.js';
import { Sam3Settings, sam3Settings } from './sam3.settings.js';

export interface Sam3ProcessorOptions {
  /** Images whose embeddings are kept (LRU); 0 disables the cache. Each costs the size of the FPN outputs. */
  embeddingCacheSize: number;
  /** Prompts whose text embeddings are kept (LRU); 0 disables. Default 256. */
  textCacheSize?: number;
}

export interface Sam3Detection {
  prompt: string;
  score: number;
  box: BoxXyxy;
  mask: Sam3Mask;
}

export interface Sam3Result {
  /** results[i]: detections of image i, grouped by prompt in request order, each group by score. */
  results: Sam3Detection[][];
}

/** Tensors keyed by role (the manifest's keys), so cached embeddings do not depend on tensor names. */
type RoleTensors = Record<string, Tensor>;

/**
 * Outputs keyed by role, each owning its memory: a micro-batched run hands out views into one batch buffer, and a
 * cached view would keep the whole batch alive for as long as it stays in the cache.
 */
function byRole(outputs: NamedTensors, names: Record<string, string>): RoleTensors {
  const owned = (t: Tensor): Tensor =>
    t.data.byteLength === t.data.buffer.byteLength ? t : { ...t, data: t.data.slice() };
  return Object.fromEntries(Object.entries(names).map(([role, name]) => [role, owned(outputs[name])]));
}

/**
 * Text-prompted SAM3 over three graphs. Per request: each prompt's text embedding (cached by prompt), each image's
 * embeddings (cached by content hash, so another prompt or request on the same image skips the vision encoder),
 * then one decoder run per (image, prompt). Images run concurrently; an image's prompts run one after another,
 * since each decoder run holds full-resolution mask logits for every query.
 */
export class Sam3Processor implements ModelProcessor<Sam3Params, Sam3Result> {
  readonly family = 'sam3' as const;
  readonly expectations: Record<string, GraphExpectation>;
  private readonly imageCache: EmbeddingCache<RoleTensors>;
  private readonly textCache: EmbeddingCache<RoleTensors>;

  constructor(
    private readonly graphs: Sam3Graphs,
    private readonly tokenizer: Tokenizer,
    private readonly settings: Sam3Settings,
    options: Sam3ProcessorOptions,
  ) {
    this.expectations = sam3Expectations(graphs);
    this.imageCache = new EmbeddingCache(options.embeddingCacheSize);
    this.textCache = new EmbeddingCache(options.textCacheSize ?? 256);
  }

  parseParams(raw: Record<string, unknown>): Sam3Params {
    return parseSam3Params(raw);
  }

  warmupParams(): Sam3Params {
    return { ...SAM3_DEFAULTS, prompts: ['object'] };
  }

  /** Hit and miss counts of both caches since start. */
  cacheStats(): { image: CacheStats; text: CacheStats } {
    return { image: this.imageCache.stats(), text: this.textCache.stats() };
  }

  async infer(images: RgbImage[], params: Sam3Params, runner: GraphRunner): Promise<Sam3Result> {
    const texts = await Promise.all(params.prompts.map((prompt) => this.textEmbeddings(prompt, runner)));
    const results = await Promise.all(images.map((image) => this.inferImage(image, texts, params, runner)));
    return { results };
  }

  private textEmbeddings(prompt: string, runner: GraphRunner): Promise<RoleTensors> {
    return this.textCache.getOrCompute(prompt, async () => {
      const { inputIds, attentionMask } = encodeSam3Prompt(this.tokenizer, prompt, this.settings.text);
      const row = (values: number[]) => int64Tensor(BigInt64Array.from(values, BigInt), [1, values.length]);
      const { inputs, outputs } = this.graphs.text;
      const result = await runner.run(SAM3_GRAPHS.text, {
        [inputs.input_ids]: row(inputIds),
        [inputs.attention_mask]: row(attentionMask),
      });
      return byRole(result, outputs);
    });
  }

  private imageEmbeddings(image: RgbImage, runner: GraphRunner): Promise<RoleTensors> {
    return this.imageCache.getOrCompute(imageContentKey(image), async () => {
      const pixels = await preprocessSam3(image, this.settings.preprocessing);
      const { inputs, outputs } = this.graphs.vision;
      return byRole(await runner.run(SAM3_GRAPHS.vision, { [inputs.pixel_values]: pixels }), outputs);
    });
  }

  private async inferImage(
    image: RgbImage,
    texts: RoleTensors[],
    params: Sam3Params,
    runner: GraphRunner,
  ): Promise<Sam3Detection[]> {
    const vision = await this.imageEmbeddings(image, runner);
    const detections: Sam3Detection[] = [];
    for (const [index, prompt] of params.prompts.entries()) {
      const outputs = await runner.run(SAM3_GRAPHS.decoder, this.decoderFeeds(vision, texts[index]));
      const settings = {
        threshold: params.threshold,
        maskThreshold: params.maskThreshold,
        boxFormat: this.settings.boxFormat,
      };
      for (const instance of postprocessSam3(this.rawOutputs(outputs), settings, image.width, image.height)) {
        const format = {
          format: params.outputFormat,
          polygonTolerance: params.polygonTolerance,
          tensorFormat: params.tensorFormat,
        };
        detections.push({
          prompt,
          score: instance.score,
          box: instance.box,
          mask: formatMask(instance.mask, image.height, image.width, format),
        });
      }
    }
    return detections;
  }

  private decoderFeeds(vision: RoleTensors, text: RoleTensors): NamedTensors {
    const { decoder, visionRoles } = this.graphs;
    return Object.fromEntries(
      Object.entries(decoder.inputs).map(([role, name]) => [
        name,
        visionRoles.includes(role) ? vision[role] : text[role],
      ]),
    );
  }

  private rawOutputs(outputs: NamedTensors): Sam3RawOutputs {
    const names = this.graphs.decoder.outputs;
    const masks = outputs[names.pred_masks];
    const [, , maskHeight, maskWidth] = masks.dims;
    return {
      predLogits: outputs[names.pred_logits].data as Float32Array,
      presenceLogit: (outputs[names.presence_logits].data as Float32Array)[0],
      predBoxes: outputs[names.pred_boxes].data as Float32Array,
      predMasks: masks.data as Float32Array,
      maskHeight,
      maskWidth,
    };
  }
}

/** Builds the processor for a model folder: its tokenizer.json, the three graphs and settings from the manifest. */
export async function createSam3Processor(
  modelDir: string,
  manifest: ModelManifest,
  options: Sam3ProcessorOptions,
): Promise<Sam3Processor> {
  const graphs = sam3Graphs(manifest);
  const settings = sam3Settings(manifest);
  return new Sam3Processor(graphs, await loadTokenizer(modelDir), settings, options);
}
