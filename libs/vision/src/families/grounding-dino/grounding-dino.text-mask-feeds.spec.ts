import type { GraphManifest } from '../../manifest/model-manifest.js';
import type { RgbImage } from '../../image/rgb-image.js';
import type { NamedTensors } from '../../tensor/tensor.js';
import { GROUNDING_DINO_PREPROCESSING } from './grounding-dino.preprocess.js';
import { GroundingDinoProcessor } from './grounding-dino.processor.js';
import { demoBertTokenizer } from './spec-support.js';

const image: RgbImage = { width: 32, height: 24, data: new Uint8Array(32 * 24 * 3).fill(100) };

const BASE_INPUTS = {
  pixel_values: 'pixel_values',
  pixel_mask: 'pixel_mask',
  input_ids: 'input_ids',
  token_type_ids: 'token_type_ids',
  attention_mask: 'attention_mask',
};

function graph(extra: Record<string, string>): GraphManifest {
  return {
    file: 'model.onnx',
    inputs: { ...BASE_INPUTS, ...extra },
    outputs: { logits: 'logits', pred_boxes: 'boxes' },
  };
}

/** Records the feeds and answers with one query that fires on nothing. */
function recordingRunner(seen: NamedTensors[]) {
  return {
    run: async (_graph: string, feeds: NamedTensors): Promise<NamedTensors> => {
      seen.push(feeds);
      return {
        logits: { dtype: 'float32', dims: [1, 1, 8], data: new Float32Array(8).fill(-10) },
        boxes: { dtype: 'float32', dims: [1, 1, 4], data: Float32Array.from([0.5, 0.5, 0.2, 0.2]) },
      };
    },
  };
}

const numbers = (data: unknown) => Array.from(data as BigInt64Array, Number);

describe('GroundingDinoProcessor text mask inputs', () => {
  const tokenizer = demoBertTokenizer();
  const ids = (text: string) => tokenizer.encode(text).ids;
  // The demo vocabulary has its own ids for [CLS] [SEP] "."; the manifest names them as an export would.
  const specialIds = ['[CLS]', '[SEP]', '.'].map((t) => tokenizer.token_to_id(t) as number);
  const settings = { preprocessing: GROUNDING_DINO_PREPROCESSING, maxTextLen: 16, specialTokenIds: specialIds };

  it('feeds the phrase-block mask [1,T,T] and position ids [1,T] under the manifest names', async () => {
    const processor = new GroundingDinoProcessor(
      graph({ text_self_attention_mask: 'tsam', position_ids: 'pos' }),
      tokenizer,
      settings,
    );
    expect(processor.expectations.model.inputs).toMatchObject({ text_self_attention_mask: 3, position_ids: 2 });
    const seen: NamedTensors[] = [];
    await processor.infer([image], processor.parseParams({ prompts: ['a cat', 'dog'] }), recordingRunner(seen));
    const fed = seen[0];
    const length = ids('a cat. dog.').length; // [CLS] a cat . dog . [SEP]
    expect(length).toBe(7);
    expect(fed.tsam.dims).toEqual([1, 7, 7]);
    expect(fed.tsam.dtype).toBe('int64');
    // Closed form: blocks {1,2,3} ("a cat .") and {4,5} ("dog ."), [CLS] and [SEP] alone.
    const block = (t: number) => (t >= 1 && t <= 3 ? 1 : t >= 4 && t <= 5 ? 2 : -1 - t);
    const expected = Array.from({ length: 49 }, (_, k) => (block(Math.floor(k / 7)) === block(k % 7) ? 1 : 0));
    expect(numbers(fed.tsam.data)).toEqual(expected);
    expect(fed.pos.dims).toEqual([1, 7]);
    expect(numbers(fed.pos.data)).toEqual([0, 0, 1, 2, 0, 1, 0]);
  });

  it('feeds neither to a graph whose manifest does not name them (the public export)', async () => {
    const processor = new GroundingDinoProcessor(graph({}), tokenizer, settings);
    expect(Object.keys(processor.expectations.model.inputs)).not.toContain('text_self_attention_mask');
    const seen: NamedTensors[] = [];
    await processor.infer([image], processor.parseParams({ prompts: ['a cat', 'dog'] }), recordingRunner(seen));
    expect(Object.keys(seen[0]).sort()).toEqual(Object.values(BASE_INPUTS).sort());
  });

  it('uses HF’s bert-base-uncased ids by default, so the demo vocabulary’s "." then ends no phrase', async () => {
    const processor = new GroundingDinoProcessor(graph({ position_ids: 'pos' }), tokenizer, {
      preprocessing: GROUNDING_DINO_PREPROCESSING,
      maxTextLen: 16,
    });
    const seen: NamedTensors[] = [];
    await processor.infer([image], processor.parseParams({ prompts: ['a cat', 'dog'] }), recordingRunner(seen));
    expect(numbers(seen[0].pos.data)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
