import { MODEL_TYPES, modelTypeSlug, parseModelType } from './model-type.js';

describe('parseModelType', () => {
  it.each([
    ['sam3', 'sam3'],
    ['grounding_dino', 'grounding_dino'],
    ['grounding-dino', 'grounding_dino'],
    ['depth_anything', 'depth_anything'],
    ['depth-anything', 'depth_anything'],
    ['dinov3', 'dinov3'],
    ['  DINOv3 ', 'dinov3'],
    ['Grounding-Dino', 'grounding_dino'],
  ])('reads %j as %s', (raw, expected) => {
    expect(parseModelType(raw)).toBe(expected);
  });

  it.each(['', 'sam', 'sam2', 'groundingdino', 'depth anything', 'dinov2', 'grounding--dino'])('refuses %j', (raw) => {
    expect(parseModelType(raw)).toBeUndefined();
  });

  it('round-trips every canonical type through its slug', () => {
    for (const type of MODEL_TYPES) expect(parseModelType(modelTypeSlug(type))).toBe(type);
  });
});

describe('modelTypeSlug', () => {
  it('hyphenates underscores for URLs and Kubernetes names', () => {
    expect(modelTypeSlug('grounding_dino')).toBe('grounding-dino');
    expect(modelTypeSlug('depth_anything')).toBe('depth-anything');
    expect(modelTypeSlug('sam3')).toBe('sam3');
  });
});
