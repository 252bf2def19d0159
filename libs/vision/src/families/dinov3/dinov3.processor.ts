import type { RgbImage } from '../../image/rgb-image.js';
import type { GraphManifest, ModelManifest } from '../../manifest/model-manifest.js';
import type { GraphRunner } from '../../pipeline/graph.runner.js';
import type { GraphExpectation, ModelProcessor } from '../../pipeline/model.processor.js';
import { TENSOR_FORMATS, TensorFormat } from '@focal/contracts';
import { readEnum } from '../../params/param.readers.js';
import { FeatureOutput, dinov3Features, stackFeatures } from './dinov3.postprocess.js';
import { DINOV3_PREPROCESSING, Dinov3Preprocessing, preprocessDinov3 } from './dinov3.preprocess.js';

export interface Dinov3Params {
  tensorFormat: TensorFormat;
}

/** `last_hidden_state` [B,T,D] and `pooler_output` [B,D], as nested lists or compact (see FeatureOutput). */
export interface Dinov3Result {
  features: { last_hidden_state: FeatureOutput; pooler_output: FeatureOutput };
}

export class Dinov3Processor implements ModelProcessor<Dinov3Params, Dinov3Result> {
  readonly family = 'dinov3' as const;
  readonly expectations: Record<string, GraphExpectation> = {
    model: {
      inputs: { pixel_values: 4 },
      outputs: { last_hidden_state: 3, pooler_output: 2 },
      optionalOutputs: ['pooler_output'],
    },
  };

  constructor(
    private readonly graph: GraphManifest,
    private readonly preprocessing: Dinov3Preprocessing = DINOV3_PREPROCESSING,
  ) {}

  parseParams(raw: Record<string, unknown>): Dinov3Params {
    return { tensorFormat: readEnum(raw, 'tensor_format', TENSOR_FORMATS, 'json') };
  }

  warmupParams(): Dinov3Params {
    return { tensorFormat: 'json' };
  }

  async infer(images: RgbImage[], params: Dinov3Params, runner: GraphRunner): Promise<Dinov3Result> {
    const perImage = await Promise.all(images.map((image) => this.inferOne(image, runner)));
    const { tokens, dim } = perImage[0];
    const format = params.tensorFormat;
    return {
      features: {
        last_hidden_state: stackFeatures(
          perImage.map((f) => f.lastHiddenState),
          [tokens, dim],
          format,
        ),
        pooler_output: stackFeatures(
          perImage.map((f) => f.poolerOutput),
          [dim],
          format,
        ),
      },
    };
  }

  private async inferOne(image: RgbImage, runner: GraphRunner) {
    const pixels = await preprocessDinov3(image, this.preprocessing);
    const outputs = await runner.run('model', { [this.graph.inputs.pixel_values]: pixels });
    const pooler = this.graph.outputs.pooler_output ? outputs[this.graph.outputs.pooler_output] : undefined;
    return dinov3Features(outputs[this.graph.outputs.last_hidden_state], pooler);
  }
}

export function createDinov3Processor(manifest: ModelManifest): Dinov3Processor {
  const size = manifest.preprocessing?.size as { height?: number; width?: number } | undefined;
  return new Dinov3Processor(manifest.graphs.model, {
    ...DINOV3_PREPROCESSING,
    height: size?.height ?? DINOV3_PREPROCESSING.height,
    width: size?.width ?? DINOV3_PREPROCESSING.width,
  });
}
