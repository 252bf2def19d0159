import { SAM3_DEFAULT_MANIFEST } from './sam3.manifest.js';
import { sam3Settings } from './sam3.settings.js';

describe('sam3Settings', () => {
  it('defaults to HF: 1008 px, 32 tokens padded with <|endoftext|>, xyxy boxes', () => {
    const settings = sam3Settings({ ...SAM3_DEFAULT_MANIFEST, preprocessing: undefined, config: undefined });
    expect(settings.preprocessing.imageSize).toBe(1008);
    expect(settings.text).toEqual({ maxLength: 32, padTokenId: 49407 });
    expect(settings.boxFormat).toBe('xyxy');
  });

  it('reads a Meta-style export from the manifest: pad 0, cxcywh boxes, another size', () => {
    const settings = sam3Settings({
      ...SAM3_DEFAULT_MANIFEST,
      preprocessing: { image_size: 644 },
      config: { pad_token_id: 0, box_format: 'cxcywh', max_text_length: 16 },
    });
    expect(settings.preprocessing.imageSize).toBe(644);
    expect(settings.text).toEqual({ maxLength: 16, padTokenId: 0 });
    expect(settings.boxFormat).toBe('cxcywh');
  });

  it.each([
    [{ box_format: 'xywh' }, /box_format/],
    [{ pad_token_id: -1 }, /pad_token_id/],
    [{ max_text_length: 1.5 }, /max_text_length/],
  ])('refuses config %j at load time', (config, message) => {
    expect(() => sam3Settings({ ...SAM3_DEFAULT_MANIFEST, config })).toThrow(message);
  });
});
