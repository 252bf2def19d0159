import { parsePrompts, requestBody } from './request.body.js';

const form = {
  prompts: ' cat, traffic light ,, ',
  threshold: 0.4,
  maskThreshold: 0.6,
  outputFormat: 'polygons',
  boxThreshold: 0.35,
  textThreshold: 0.25,
  exportFormat: 'glb',
};

describe('parsePrompts', () => {
  it('splits on commas, trims and drops empty entries', () => {
    expect(parsePrompts(form.prompts)).toEqual(['cat', 'traffic light']);
    expect(parsePrompts('')).toEqual([]);
  });
});

describe('requestBody', () => {
  it('sends each family only its own fields, in the API guide names', () => {
    const image = 'data:image/png;base64,AAAA';
    expect(requestBody('sam3', image, form)).toEqual({
      images: [image],
      prompts: ['cat', 'traffic light'],
      threshold: 0.4,
      mask_threshold: 0.6,
      output_format: 'polygons',
    });
    expect(requestBody('grounding_dino', image, form)).toEqual({
      images: [image],
      prompts: ['cat', 'traffic light'],
      box_threshold: 0.35,
      text_threshold: 0.25,
    });
    expect(requestBody('depth_anything', image, form)).toEqual({ images: [image], export_format: 'glb' });
    expect(requestBody('dinov3', image, form)).toEqual({ images: [image] });
  });

  it('passes a URL image as {data, format: "url"} for the API to fetch', () => {
    const image = { data: 'https://example.com/a.jpg', format: 'url' as const };
    expect(requestBody('dinov3', image, form)).toEqual({ images: [image] });
  });
});
