import { BytesValue, type DepthFormat } from '@focal/contracts';
import { depthToPointCloudGlb, encodeNpy, encodePng16 } from '../../encoding/index.js';
import type { RgbImage } from '../../image/rgb-image.js';
import type { GraphManifest, ModelManifest } from '../../manifest/model-manifest.js';
import { readEnum, readNumber } from '../../params/param.readers.js';
import type { GraphRunner } from '../../pipeline/graph.runner.js';
import type { GraphExpectation, ModelProcessor } from '../../pipeline/model.processor.js';
import { depthAtOriginalSize, intrinsicsAtOriginalSize } from './depth-anything.postprocess.js';
import { DEPTH_ANYTHING_PREPROCESSING, DepthPreprocessing, preprocessDepth } from './depth-anything.preprocess.js';
import { DEPTH_ANYTHING_3_PREPROCESSING, preprocessDepthAnything3 } from './depth-anything-3.preprocess.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Intrinsics } from './depth-anything.postprocess.js';

export type DepthKind = 'relative_inverse_depth' | 'depth';

export interface DepthParams {
  exportFormat: DepthFormat;
  fovDegrees: number;
}

/** The files (PNGs, npy, GLB) are BytesValues: raw bytes to the API, base64 strings in the client's JSON. */
export interface DepthImageResult {
  depth_data: BytesValue;
  metadata: {
    shape: [number, number];
    min: number;
    max: number;
    kind: DepthKind;
    glb?: Record<string, unknown>;
    /** The model's own intrinsics (Depth Anything 3), rescaled to the original image, in pixels. */
    intrinsics?: Intrinsics;
    /** Range of the confidence map (Depth Anything 3), which `confidence_data` stores as a 16-bit PNG. */
    confidence?: { min: number; max: number };
  };
  /** Depth Anything 3's confidence at the original size, min–max normalised like depth_data. */
  confidence_data?: BytesValue;
  glb_data?: BytesValue;
  npy_data?: BytesValue;
}

/** Turns a decoded image into the graph's pixel_values: DPT's rule (V2) or the DA3 InputProcessor's. */
export type DepthPreprocessor = (image: RgbImage) => Promise<Tensor>;

export interface DepthResult extends DepthImageResult {
  results: DepthImageResult[];
}

const base64 = (bytes: Uint8Array): BytesValue => new BytesValue(bytes);

/**
 * Depth Anything V2 (`predicted_depth`) and Depth Anything 3 (which adds `confidence` and `intrinsics`).
 * The 16-bit PNG is always returned, because clients read `depth_data` whatever they export. When the graph
 * predicts intrinsics they go into the metadata and drive the GLB instead of an assumed field of view.
 */
export class DepthAnythingProcessor implements ModelProcessor<DepthParams, DepthResult> {
  readonly family = 'depth_anything' as const;
  readonly expectations: Record<string, GraphExpectation> = {
    model: {
      inputs: { pixel_values: 4 },
      outputs: { predicted_depth: 3, intrinsics: 3, confidence: 3 },
      optionalOutputs: ['intrinsics', 'confidence'],
    },
  };

  constructor(
    private readonly graph: GraphManifest,
    private readonly kind: DepthKind,
    private readonly preprocess: DepthPreprocessor = (image) => preprocessDepth(image, DEPTH_ANYTHING_PREPROCESSING),
  ) {}

  parseParams(raw: Record<string, unknown>): DepthParams {
    return {
      exportFormat: readEnum(raw, 'export_format', ['png', 'glb', 'npy'] as const, 'png'),
      fovDegrees: readNumber(raw, 'fov_degrees', 60, 1, 179),
    };
  }

  warmupParams(): DepthParams {
    return { exportFormat: 'png', fovDegrees: 60 };
  }

  async infer(images: RgbImage[], params: DepthParams, runner: GraphRunner): Promise<DepthResult> {
    const results = await Promise.all(images.map((image) => this.inferOne(image, params, runner)));
    return { ...results[0], results };
  }

  private async inferOne(image: RgbImage, params: DepthParams, runner: GraphRunner): Promise<DepthImageResult> {
    const pixels = await this.preprocess(image);
    const outputs = await runner.run('model', { [this.graph.inputs.pixel_values]: pixels });
    const depth = depthAtOriginalSize(outputs[this.graph.outputs.predicted_depth], image.height, image.width);
    const png = encodePng16(depth, image.height, image.width);
    const result: DepthImageResult = {
      depth_data: base64(png.png),
      metadata: { shape: [image.height, image.width], min: png.min, max: png.max, kind: this.kind },
    };
    const [, , inputHeight, inputWidth] = pixels.dims;
    const intrinsicsTensor = this.optionalOutput(outputs, 'intrinsics');
    const intrinsics = intrinsicsTensor
      ? intrinsicsAtOriginalSize(intrinsicsTensor, { height: inputHeight, width: inputWidth }, image)
      : undefined;
    if (intrinsics) result.metadata.intrinsics = intrinsics;
    const confidenceTensor = this.optionalOutput(outputs, 'confidence');
    if (confidenceTensor) {
      const confidence = depthAtOriginalSize(confidenceTensor, image.height, image.width);
      const confidencePng = encodePng16(confidence, image.height, image.width);
      result.confidence_data = base64(confidencePng.png);
      result.metadata.confidence = { min: confidencePng.min, max: confidencePng.max };
    }
    if (params.exportFormat === 'npy') result.npy_data = base64(encodeNpy(depth, [image.height, image.width]));
    if (params.exportFormat === 'glb') {
      const glb = await depthToPointCloudGlb({
        depth,
        width: image.width,
        height: image.height,
        rgb: image.data,
        intrinsics,
        fovDegrees: params.fovDegrees,
        depthIsDisparity: this.kind === 'relative_inverse_depth',
      });
      result.glb_data = base64(glb.glb);
      result.metadata.glb = { ...glb.metadata };
    }
    return result;
  }

  private optionalOutput(outputs: Record<string, Tensor>, role: 'intrinsics' | 'confidence'): Tensor | undefined {
    const name = this.graph.outputs[role];
    return name ? outputs[name] : undefined;
  }
}

export function createDepthAnythingProcessor(manifest: ModelManifest): DepthAnythingProcessor {
  const kind = (manifest.config?.depth_kind as DepthKind | undefined) ?? 'relative_inverse_depth';
  if (manifest.config?.variant === 'v3') {
    const processRes = manifest.preprocessing?.process_res as number | undefined;
    const da3 = {
      ...DEPTH_ANYTHING_3_PREPROCESSING,
      processRes: processRes ?? DEPTH_ANYTHING_3_PREPROCESSING.processRes,
    };
    return new DepthAnythingProcessor(manifest.graphs.model, kind, async (image) =>
      preprocessDepthAnything3(image, da3),
    );
  }
  const size = manifest.preprocessing?.size as number | undefined;
  const v2: DepthPreprocessing = { ...DEPTH_ANYTHING_PREPROCESSING, size: size ?? DEPTH_ANYTHING_PREPROCESSING.size };
  return new DepthAnythingProcessor(manifest.graphs.model, kind, (image) => preprocessDepth(image, v2));
}
