import { basename, dirname } from 'node:path';

/** What the transformers.js depth-estimation pipeline returns per image. */
export interface TransformersDepthResult {
  predicted_depth: { data: Float32Array; dims: number[] };
  depth: { width: number; height: number };
}

/** The peer a user would run instead of Focal: transformers.js `depth-estimation`, in process, on a JPEG. */
export interface TransformersDepthPipeline {
  version: string;
  estimate(jpeg: Buffer): Promise<TransformersDepthResult>;
  dispose(): Promise<void>;
}

/**
 * Opens the pipeline on a local HF-layout folder (config.json, preprocessor_config.json,
 * onnx/model.onnx) with remote models off, so it never touches the network. Each call decodes the
 * JPEG (RawImage.fromBlob, sharp underneath), as a user's code would.
 */
export async function openTransformersDepth(modelDir: string): Promise<TransformersDepthPipeline> {
  const transformers = await import('@huggingface/transformers');
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.useFSCache = false;
  transformers.env.localModelPath = `${dirname(modelDir)}/`;
  const pipe = await transformers.pipeline('depth-estimation', basename(modelDir), { dtype: 'fp32', device: 'cpu' });
  return {
    version: transformers.env.version,
    async estimate(jpeg) {
      const image = await transformers.RawImage.fromBlob(new Blob([new Uint8Array(jpeg)]));
      return (await pipe(image)) as unknown as TransformersDepthResult;
    },
    dispose: () => pipe.dispose(),
  };
}
