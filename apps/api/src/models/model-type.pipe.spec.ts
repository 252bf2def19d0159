import { NotFoundError } from '@focal/contracts';
import { ModelTypePipe, requireModelType } from './model-type.pipe.js';

describe('requireModelType / ModelTypePipe', () => {
  it.each([
    ['sam3', 'sam3'],
    ['grounding-dino', 'grounding_dino'],
    ['grounding_dino', 'grounding_dino'],
    ['depth-anything', 'depth_anything'],
    ['depth_anything', 'depth_anything'],
    ['dinov3', 'dinov3'],
  ])('maps the route spelling %s to %s', (raw, expected) => {
    expect(requireModelType(raw)).toBe(expected);
    expect(new ModelTypePipe().transform(raw)).toBe(expected);
  });

  it('answers an unknown model type with a 404 that lists the valid ones', () => {
    let error: unknown;
    try {
      new ModelTypePipe().transform('yolo');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).status).toBe(404);
    expect((error as NotFoundError).message).toBe(
      'unknown model type "yolo"; use one of sam3, grounding_dino, depth_anything, dinov3',
    );
  });

  it('refuses an empty segment', () => {
    expect(() => requireModelType('')).toThrow(NotFoundError);
  });
});
