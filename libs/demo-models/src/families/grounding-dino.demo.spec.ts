import * as ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';
import {
  GROUNDING_DINO_DEMO,
  buildGroundingDinoDemoGraph,
  groundingDinoDemo,
  groundingDinoDemoFiring,
  groundingDinoDemoReference,
} from './grounding-dino.demo.js';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const int64 = (values: number[], dims: number[]) =>
  new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), dims);

describe('Grounding DINO demo graph', () => {
  let session: ort.InferenceSession;
  beforeAll(async () => {
    session = await ort.InferenceSession.create(buildGroundingDinoDemoGraph());
  });

  it('keeps the public export I/O names', () => {
    expect(session.inputNames).toEqual(['pixel_values', 'pixel_mask', 'input_ids', 'token_type_ids', 'attention_mask']);
    expect(session.outputNames).toEqual(['logits', 'pred_boxes']);
  });

  it('matches the plain-JS reference for a batch of two with padded text', async () => {
    const [B, H, W, T] = [2, 24, 40, 7];
    const random = seeded(3);
    const pixels = Float32Array.from({ length: B * 3 * H * W }, () => random() * 4 - 2);
    const masks = [
      [1, 1, 1, 1, 1, 1, 1],
      [1, 1, 1, 1, 1, 0, 0],
    ];
    const out = await session.run({
      pixel_values: new ort.Tensor('float32', pixels, [B, 3, H, W]),
      pixel_mask: int64(new Array(B * H * W).fill(1), [B, H, W]),
      input_ids: int64(new Array(B * T).fill(7), [B, T]),
      token_type_ids: int64(new Array(B * T).fill(0), [B, T]),
      attention_mask: int64(masks.flat(), [B, T]),
    });
    const { numQueries: Q, maxTextLen: L } = GROUNDING_DINO_DEMO;
    expect(out.logits.dims).toEqual([B, Q, L]);
    expect(out.pred_boxes.dims).toEqual([B, Q, 4]);
    const logits = out.logits.data as Float32Array;
    const boxes = out.pred_boxes.data as Float32Array;
    for (let b = 0; b < B; b++) {
      const ref = groundingDinoDemoReference(pixels.subarray(b * 3 * H * W, (b + 1) * 3 * H * W), masks[b]);
      const got = logits.subarray(b * Q * L, (b + 1) * Q * L);
      let infMismatches = 0;
      let maxError = 0;
      for (let i = 0; i < Q * L; i++) {
        if (ref.logits[i] === -Infinity) infMismatches += got[i] === -Infinity ? 0 : 1;
        else maxError = Math.max(maxError, Math.abs(got[i] - ref.logits[i]));
      }
      expect(infMismatches).toBe(0);
      expect(maxError).toBeLessThan(1e-4);
      expect(Array.from(boxes.subarray(b * Q * 4, (b + 1) * Q * 4))).toEqual(Array.from(ref.predBoxes));
    }
  });

  it('lets query q fire on its documented position, above every other text position', () => {
    const mask = new Array(13).fill(1);
    const { logits } = groundingDinoDemoReference(new Float32Array(3).fill(0), mask);
    const L = GROUNDING_DINO_DEMO.maxTextLen;
    for (const q of [0, 5, 13, 47]) {
      const row = Array.from(logits.subarray(q * L, q * L + 13));
      expect(row.indexOf(Math.max(...row))).toBe(groundingDinoDemoFiring(q)[0].position);
    }
    expect(Math.max(...Array.from(logits.subarray(48 * L, 48 * L + 13)))).toBe(GROUNDING_DINO_DEMO.background);
  });

  it('ships a tokenizer.json that @huggingface/tokenizers loads, with the words the demo uses', () => {
    const files = groundingDinoDemo.files();
    const tokenizer = new Tokenizer(
      JSON.parse(files['tokenizer.json'] as string),
      JSON.parse(files['tokenizer_config.json'] as string),
    );
    const { tokens } = tokenizer.encode('A cat. red balls.');
    expect(tokens).toEqual(['[CLS]', 'a', 'cat', '.', 'red', 'ball', '##s', '.', '[SEP]']);
    // The manifest names the one graph the tokenizer feeds, at the path the files are written to.
    const graphs = groundingDinoDemo.manifest.graphs as Record<string, { file: string }>;
    expect(Object.values(graphs).map((g) => g.file)).toEqual(['onnx/model.onnx']);
    expect((files['onnx/model.onnx'] as Uint8Array).byteLength).toBeLessThan(100_000);
  });
});
