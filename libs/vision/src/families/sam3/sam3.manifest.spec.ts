import type { ModelManifest } from '../../manifest/model-manifest.js';
import { SAM3_DEFAULT_MANIFEST, sam3Expectations, sam3Graphs } from './sam3.manifest.js';

describe('sam3Graphs', () => {
  it('feeds the default decoder with the FPN maps from the vision encoder and the text roles from the text encoder', () => {
    const graphs = sam3Graphs(SAM3_DEFAULT_MANIFEST);
    expect(graphs.visionRoles).toEqual(['fpn_feat_0', 'fpn_feat_1', 'fpn_feat_2', 'fpn_pos_2']);
    expect(graphs.textRoles).toEqual(['text_features', 'text_mask']);
    expect(graphs.decoder.inputs.text_features).toBe('prompt_features');
  });

  it('refuses a decoder input role that no encoder produces, and a missing graph', () => {
    const broken: ModelManifest = {
      ...SAM3_DEFAULT_MANIFEST,
      graphs: {
        ...SAM3_DEFAULT_MANIFEST.graphs,
        decoder: {
          ...SAM3_DEFAULT_MANIFEST.graphs.decoder,
          inputs: { ...SAM3_DEFAULT_MANIFEST.graphs.decoder.inputs, geometry: 'geo' },
        },
      },
    };
    expect(() => sam3Graphs(broken)).toThrow(/"geometry" is an output of neither/);
    const { text_encoder: _, ...twoGraphs } = SAM3_DEFAULT_MANIFEST.graphs;
    expect(() => sam3Graphs({ ...SAM3_DEFAULT_MANIFEST, graphs: twoGraphs })).toThrow(/graph named "text_encoder"/);
  });
});

describe('sam3Expectations', () => {
  it('asks for rank-4 image embeddings and the known text ranks on every graph', () => {
    const expectations = sam3Expectations(sam3Graphs(SAM3_DEFAULT_MANIFEST));
    expect(expectations.vision_encoder).toEqual({
      inputs: { pixel_values: 4 },
      outputs: { fpn_feat_0: 4, fpn_feat_1: 4, fpn_feat_2: 4, fpn_pos_2: 4 },
    });
    expect(expectations.text_encoder).toEqual({
      inputs: { input_ids: 2, attention_mask: 2 },
      outputs: { text_features: 3, text_mask: 2 },
    });
    expect(expectations.decoder).toEqual({
      inputs: { fpn_feat_0: 4, fpn_feat_1: 4, fpn_feat_2: 4, fpn_pos_2: 4, text_features: 3, text_mask: 2 },
      outputs: { pred_masks: 4, pred_boxes: 3, pred_logits: 2, presence_logits: 2 },
    });
  });
});
