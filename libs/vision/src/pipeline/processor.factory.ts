import type { ModelManifest } from '../manifest/model-manifest.js';
import type { ModelProcessor } from './model.processor.js';

export interface ProcessorOptions {
  embeddingCacheSize: number;
}

type AnyProcessor = ModelProcessor<unknown, unknown>;

/**
 * The processor for a loaded model folder, chosen by the manifest's family. Families are imported
 * lazily: a worker serves one model and need not load the others' tokenizers and encoders.
 */
export async function createProcessor(
  modelDir: string,
  manifest: ModelManifest,
  options: ProcessorOptions,
): Promise<AnyProcessor> {
  switch (manifest.family) {
    case 'dinov3': {
      const { createDinov3Processor } = await import('../families/dinov3/dinov3.processor.js');
      return createDinov3Processor(manifest) as AnyProcessor;
    }
    case 'depth_anything': {
      const { createDepthAnythingProcessor } = await import('../families/depth-anything/depth-anything.processor.js');
      return createDepthAnythingProcessor(manifest) as AnyProcessor;
    }
    case 'grounding_dino': {
      const { createGroundingDinoProcessor } = await import('../families/grounding-dino/grounding-dino.processor.js');
      return (await createGroundingDinoProcessor(modelDir, manifest)) as AnyProcessor;
    }
    case 'sam3': {
      const { createSam3Processor } = await import('../families/sam3/sam3.processor.js');
      return (await createSam3Processor(modelDir, manifest, options)) as AnyProcessor;
    }
  }
}
