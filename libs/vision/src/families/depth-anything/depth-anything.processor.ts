import type { DepthFormat } from '@focal/contracts';
import { depthToPointCloudGlb, encodeNpy, encodePng16 } from '../../encoding/index.js';
import type { RgbImage } from '../../image/rgb-image.js';
import type { GraphManifest, ModelManifest } from '../../manifest/model-manifest.js';
import { readEnum, readNumber } from '../../params/param.readers.js';
import type { GraphRunner } from '../../pipeline/graph.runner.js';
import type { GraphExpectation, ModelProcessor } from '../../pipeline/model.processor.js';
import { depthAtOriginalSize, intrinsicsAtOriginalSize } from './depth-anything.postprocess.js';
import { DEPTH_ANYTHING_PREPROCESSING, DepthPreprocessing, preprocessDepth } from './depth-anything.preprocess.js';

export type DepthKind = 'relative_inverse_depth' | 'depth';

export interface DepthParams {
  exportFormat: DepthFormat;
  fovDegrees: number;
}

export interface DepthImageResult {
  depth_data: string;
  metadata: { shape: [number, number]; min: number; max: number; kind: DepthKind; glb?: Record<string, unknown> };
  glb_data?: string;
  npy_data?: string;
}

export interface DepthResult extends DepthImageResult {
  results: DepthImageResult[];
}

const base64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/**
 * Depth Anything V2 (`predicted_depth`) and V3-style graphs (which may add `intrinsics`).
 * The 16-bit PNG is always returned, because clients read `depth_data` whatever they export.
 */
export class DepthAnythingProcessor implements ModelProcessor<DepthParams, DepthResult> {
  readonly family = 'depth_anything' as const;
  readonly expectations: Record<string, GraphExpectation> = {
    model: {
      inputs: { pixel_values: 4 },
      outputs: { predicted_depth: 3, intrinsics: 3 },
      optionalOutputs: ['intrinsics'],
    },
  };

  constructor(
    private readonly graph: GraphManifest,
    private readonly kind: DepthKind,
    private readonly preprocessing: DepthPreprocessing = DEPTH_ANYTHING_PREPROCESSING,
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
    const pixels = await preprocessDepth(image, this.preprocessing);
    const outputs = await runner.run('model', { [this.graph.inputs.pixel_values]: pixels });
    const depth = depthAtOriginalSize(outputs[this.graph.outputs.predicted_depth], image.height, image.width);
    const png = encodePng16(depth, image.height, image.width);
    const result: DepthImageResult = {
      depth_data: base64(png.png),
      metadata: { shape: [image.height, image.width], min: png.min, max: png.max, kind: this.kind },
    };
    if (params.exportFormat === 'npy') result.npy_data = base64(encodeNpy(depth, [image.height, image.width]));
    if (params.exportFormat === 'glb') {
      const intrinsicsTensor = this.graph.outputs.intrinsics ? outputs[this.graph.outputs.intrinsics] : undefined;
      const [, , inputHeight, inputWidth] = pixels.dims;
      const glb = await depthToPointCloudGlb({
        depth,
        width: image.width,
        height: image.height,
        rgb: image.data,
        intrinsics: intrinsicsTensor
          ? intrinsicsAtOriginalSize(intrinsicsTensor, { height: inputHeight, width: inputWidth }, image)
          : undefined,
        fovDegrees: params.fovDegrees,
        depthIsDisparity: this.kind === 'relative_inverse_depth',
      });
      result.glb_data = base64(glb.glb);
      result.metadata.glb = { ...glb.metadata };
    }
    return result;
  }
}

export function createDepthAnythingProcessor(manifest: ModelManifest): DepthAnythingProcessor {
  const kind = (manifest.config?.depth_kind as DepthKind | undefined) ?? 'relative_inverse_depth';
  const size = manifest.preprocessing?.size as number | undefined;
  return new DepthAnythingProcessor(manifest.graphs.model, kind, {
    ...DEPTH_ANYTHING_PREPROCESSING,
    size: size ?? DEPTH_ANYTHING_PREPROCESSING.size,
  });
}
