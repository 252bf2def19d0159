import * as ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';
import { SAM3_DEFAULT_MANIFEST } from '@focal/vision';
import {
  SAM3_DEMO,
  buildSam3DemoDecoder,
  buildSam3DemoTextEncoder,
  buildSam3DemoVisionEncoder,
  sam3Demo,
  sam3DemoDecoderReference,
  sam3DemoPadTokenId,
  sam3DemoTextReference,
  sam3DemoVisionReference,
  type Sam3DemoVision,
} from './sam3.demo.js';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

const int64 = (values: number[], dims: number[]) =>
  new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), dims);

describe('SAM3 demo graphs', () => {
  const S = SAM3_DEMO.imageSize;
  const plane = 3 * S * S;
  const random = seeded(11);
  const pixels = Float32Array.from({ length: 2 * plane }, () => random() * 2 - 1);
  const prompts = [
    { ids: [40, 7, 300, 41], mask: [1, 1, 1, 1] },
    { ids: [40, 512, 41, 41], mask: [1, 1, 1, 0] },
  ];
  const padTo32 = (values: number[], fill: number) => [...values, ...new Array(32 - values.length).fill(fill)];
  let vision: ort.InferenceSession.ReturnType;
  let text: ort.InferenceSession.ReturnType;

  beforeAll(async () => {
    const visionSession = await ort.InferenceSession.create(buildSam3DemoVisionEncoder());
    vision = await visionSession.run({ images: new ort.Tensor('float32', pixels, [2, 3, S, S]) });
    const textSession = await ort.InferenceSession.create(buildSam3DemoTextEncoder());
    text = await textSession.run({
      input_ids: int64(
        prompts.flatMap((p) => padTo32(p.ids, 0)),
        [2, 32],
      ),
      attention_mask: int64(
        prompts.flatMap((p) => padTo32(p.mask, 0)),
        [2, 32],
      ),
    });
  });

  it('vision encoder: average-pooled FPN levels and the positional map, per image', () => {
    for (let b = 0; b < 2; b++) {
      const ref = sam3DemoVisionReference(pixels.subarray(b * plane, (b + 1) * plane));
      for (const name of ['fpn_feat_0', 'fpn_feat_1', 'fpn_feat_2', 'fpn_feat_3', 'fpn_pos_2'] as const) {
        const size = ref[name].length;
        expect(vision[name].dims).toEqual([2, 3, Math.sqrt(size / 3), Math.sqrt(size / 3)]);
        expect(
          maxAbsDiff((vision[name].data as Float32Array).subarray(b * size, (b + 1) * size), ref[name]),
        ).toBeLessThan(1e-5);
      }
    }
  });

  it('text encoder: cosine features zeroed on padding and a boolean padding mask', () => {
    const D = SAM3_DEMO.textDim;
    expect(text.text_features.dims).toEqual([2, 32, D]);
    expect(text.text_mask.type).toBe('bool');
    prompts.forEach((p, b) => {
      const ref = sam3DemoTextReference(padTo32(p.ids, 0), padTo32(p.mask, 0));
      const got = (text.text_features.data as Float32Array).subarray(b * 32 * D, (b + 1) * 32 * D);
      expect(maxAbsDiff(got, ref.features)).toBeLessThan(1e-6);
      expect(Array.from((text.text_mask.data as Uint8Array).subarray(b * 32, (b + 1) * 32)).map(Number)).toEqual(
        Array.from(ref.padding),
      );
    });
  });

  it('decoder: logits, presence, masks and boxes match the reference for each (image, prompt) pair', async () => {
    const decoder = await ort.InferenceSession.create(buildSam3DemoDecoder());
    const { numQueries: Q, maskSize: M } = SAM3_DEMO;
    const out = await decoder.run({
      fpn_feat_0: vision.fpn_feat_0,
      fpn_feat_1: vision.fpn_feat_1,
      fpn_feat_2: vision.fpn_feat_2,
      fpn_pos_2: vision.fpn_pos_2,
      prompt_features: text.text_features,
      prompt_mask: text.text_mask,
    });
    expect(out.pred_masks.dims).toEqual([2, Q, M, M]);
    expect(out.presence_logits.dims).toEqual([2, 1]);
    for (let b = 0; b < 2; b++) {
      const visionRef = sam3DemoVisionReference(pixels.subarray(b * plane, (b + 1) * plane)) as Sam3DemoVision;
      const ref = sam3DemoDecoderReference(
        visionRef,
        sam3DemoTextReference(padTo32(prompts[b].ids, 0), padTo32(prompts[b].mask, 0)),
      );
      const slice = (name: string, size: number) => (out[name].data as Float32Array).subarray(b * size, (b + 1) * size);
      expect(maxAbsDiff(slice('pred_logits', Q), ref.predLogits)).toBeLessThan(1e-4);
      expect(Math.abs(slice('presence_logits', 1)[0] - ref.presenceLogit)).toBeLessThan(1e-4);
      expect(maxAbsDiff(slice('pred_masks', Q * M * M), ref.predMasks)).toBeLessThan(1e-4);
      expect(maxAbsDiff(slice('pred_boxes', Q * 4), ref.predBoxes)).toBeLessThan(1e-6);
    }
  });

  it('makes the prompt length pick the firing query and lowers presence for longer prompts', () => {
    const vision0 = sam3DemoVisionReference(new Float32Array(plane));
    const withTokens = (n: number) =>
      sam3DemoDecoderReference(
        vision0,
        sam3DemoTextReference(padTo32(new Array(n).fill(5), 0), padTo32(new Array(n).fill(1), 0)),
      );
    const three = withTokens(3);
    expect(Array.from(three.predLogits).indexOf(Math.max(...three.predLogits))).toBe(3);
    expect(withTokens(6).presenceLogit).toBeLessThan(three.presenceLogit);
  });

  it('ships a CLIP BPE tokenizer.json whose end token is the manifest pad id', () => {
    const files = sam3Demo.files();
    const tokenizer = new Tokenizer(
      JSON.parse(files['tokenizer.json'] as string),
      JSON.parse(files['tokenizer_config.json'] as string),
    );
    const { ids, tokens } = tokenizer.encode('Red ball');
    expect(tokens).toEqual(['<|startoftext|>', 'red</w>', 'ball</w>', '<|endoftext|>']);
    expect(ids[3]).toBe(sam3DemoPadTokenId());
    expect((sam3Demo.manifest.config as { pad_token_id: number }).pad_token_id).toBe(ids[3]);
    const sizes = Object.values(SAM3_DEFAULT_MANIFEST.graphs)
      .map((g) => g.file)
      .map((f) => (files[f] as Uint8Array).byteLength);
    expect(Math.max(...sizes)).toBeLessThan(100_000);
  });
});
