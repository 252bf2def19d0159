import { ConfigValidationError } from './env.reader.js';
import { CPU_BATCH_ELEMENTS, buildInferenceConfig } from './inference.config.js';

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    buildInferenceConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected buildInferenceConfig to reject the environment');
}

describe('buildInferenceConfig', () => {
  it('requires FOCAL_MODEL_TYPE and lists the valid types', () => {
    expect(problemsOf({})).toEqual([
      'FOCAL_MODEL_TYPE must be one of sam3, grounding_dino, depth_anything, dinov3, got ""',
    ]);
    expect(problemsOf({ FOCAL_MODEL_TYPE: 'yolo' })).toEqual([
      'FOCAL_MODEL_TYPE must be one of sam3, grounding_dino, depth_anything, dinov3, got "yolo"',
    ]);
  });

  it('accepts the hyphenated spelling of a model type', () => {
    expect(buildInferenceConfig({ FOCAL_MODEL_TYPE: 'depth-anything' }).modelType).toBe('depth_anything');
  });

  it('defaults to the demo model on CPU, port 8080, batches of up to 8 within 2 ms', () => {
    const config = buildInferenceConfig({ FOCAL_MODEL_TYPE: 'dinov3' });
    expect(config).toMatchObject({
      modelType: 'dinov3',
      modelId: 'demo',
      device: 'cpu',
      host: '0.0.0.0',
      port: 8080,
      maxBatchSize: 8,
      maxBatchDelayMs: 2,
      intraOpThreads: 0,
      maxImagePixels: 40_000_000,
      embeddingCacheSize: 32,
      exitWithParent: true,
      debugTensors: false,
    });
  });

  it('budgets the input elements of a batched run on CPU only, unless FOCAL_MAX_BATCH_ELEMENTS says otherwise', () => {
    const elements = (env: Record<string, string>) =>
      buildInferenceConfig({ FOCAL_MODEL_TYPE: 'dinov3', ...env }).maxBatchElements;
    expect(elements({})).toBe(CPU_BATCH_ELEMENTS);
    expect(Math.floor(CPU_BATCH_ELEMENTS / (3 * 224 * 224))).toBe(8);
    expect(Math.floor(CPU_BATCH_ELEMENTS / (3 * 518 * 686))).toBe(1);
    expect(elements({ FOCAL_DEVICE: 'cuda' })).toBe(0);
    expect(elements({ FOCAL_MAX_BATCH_ELEMENTS: '0' })).toBe(0);
    expect(elements({ FOCAL_DEVICE: 'cuda', FOCAL_MAX_BATCH_ELEMENTS: '4000000' })).toBe(4_000_000);
    expect(problemsOf({ FOCAL_MODEL_TYPE: 'dinov3', FOCAL_MAX_BATCH_ELEMENTS: '-1' })).toEqual([
      'FOCAL_MAX_BATCH_ELEMENTS must be >= 0',
    ]);
  });

  it('turns the test-only tensor debug hook on only when FOCAL_DEBUG_TENSORS says so', () => {
    expect(buildInferenceConfig({ FOCAL_MODEL_TYPE: 'dinov3', FOCAL_DEBUG_TENSORS: 'true' }).debugTensors).toBe(true);
    expect(buildInferenceConfig({ FOCAL_MODEL_TYPE: 'dinov3', FOCAL_DEBUG_TENSORS: 'false' }).debugTensors).toBe(false);
  });

  it('reads every setting from the environment', () => {
    const config = buildInferenceConfig({
      FOCAL_MODEL_TYPE: 'sam3',
      FOCAL_MODEL_ID: 'org/sam3-onnx',
      FOCAL_DEVICE: 'cuda',
      FOCAL_HOST: '127.0.0.1',
      FOCAL_INFERENCE_PORT: '0',
      FOCAL_MAX_BATCH_SIZE: '1',
      FOCAL_MAX_BATCH_DELAY_MS: '0',
      FOCAL_INTRA_OP_THREADS: '4',
      FOCAL_MAX_IMAGE_PIXELS: '1000',
      FOCAL_EMBEDDING_CACHE_SIZE: '0',
      FOCAL_EXIT_WITH_PARENT: 'false',
      FOCAL_LOG_LEVEL: 'debug',
      FOCAL_LOG_FORMAT: 'text',
    });
    expect(config).toMatchObject({
      modelType: 'sam3',
      modelId: 'org/sam3-onnx',
      device: 'cuda',
      host: '127.0.0.1',
      port: 0,
      maxBatchSize: 1,
      maxBatchDelayMs: 0,
      intraOpThreads: 4,
      maxImagePixels: 1000,
      embeddingCacheSize: 0,
      exitWithParent: false,
      logging: { level: 'debug', json: false },
    });
  });

  it('collects every bad value at once', () => {
    expect(
      problemsOf({
        FOCAL_MODEL_TYPE: 'yolo',
        FOCAL_DEVICE: 'tpu',
        FOCAL_MAX_BATCH_SIZE: '0',
        FOCAL_MAX_BATCH_DELAY_MS: '1001',
        FOCAL_EXIT_WITH_PARENT: 'perhaps',
      }),
    ).toEqual([
      'FOCAL_MODEL_TYPE must be one of sam3, grounding_dino, depth_anything, dinov3, got "yolo"',
      'FOCAL_DEVICE must be one of cuda, cpu, got "tpu"',
      'FOCAL_MAX_BATCH_SIZE must be >= 1',
      'FOCAL_MAX_BATCH_DELAY_MS must be <= 1000',
      'FOCAL_EXIT_WITH_PARENT must be true or false, got "perhaps"',
    ]);
  });
});
