import { DEFAULT_MODEL_SOURCES, defaultModelSource } from './default-models.js';
import { parseModelRef } from './model-ref.parser.js';

describe('DEFAULT_MODEL_SOURCES', () => {
  it('accepts underscore and route spellings of model types', () => {
    expect(defaultModelSource('depth-anything')?.type).toBe('depth_anything');
    expect(defaultModelSource('Grounding_DINO')?.source).toBe(DEFAULT_MODEL_SOURCES.grounding_dino);
    expect(defaultModelSource('onnx-community/depth-anything-v2-small')).toBeUndefined();
    expect(defaultModelSource('constructor')).toBeUndefined();
  });

  it('names valid hub repos and fetches the fp32 graph, not its quantised variants', () => {
    for (const source of [
      DEFAULT_MODEL_SOURCES.grounding_dino,
      DEFAULT_MODEL_SOURCES.depth_anything,
      DEFAULT_MODEL_SOURCES.dinov3,
    ]) {
      expect(parseModelRef(source.id).source).toBe('hf');
      expect(source.files).toContain('onnx/model.onnx');
    }
    expect(DEFAULT_MODEL_SOURCES.grounding_dino.files).toContain('vocab.txt');
  });

  it('has no SAM3 default and lists community exports instead', () => {
    const sam3 = DEFAULT_MODEL_SOURCES.sam3;
    expect(sam3.kind).toBe('explicit-id-required');
    expect(sam3.candidates).toContain('danilobukvic/sam3-text-onnx');
    for (const id of sam3.candidates) expect(parseModelRef(id).source).toBe('hf');
  });
});
