import type { GraphManifest, ModelManifest } from '../../manifest/model-manifest.js';
import type { GraphExpectation } from '../../pipeline/model.processor.js';

/**
 * Defaults for the text-capable SAM3 export of jamjamjon/usls (GitHub release `jamjamjon/assets`, tag `sam3`,
 * documented in usls `src/models/sam3/README.md`; file names as its `config.rs` loads them). It has dynamic batch
 * on every graph, batch-first tensors, xyxy boxes and a [B,200] pred_logits, which suits per-image runs and
 * micro-batching. Its geometry encoder (box prompts) is not used. Other exports differ in names, box format and
 * pad id: override them in focal-model.json.
 */
export const SAM3_DEFAULT_MANIFEST: ModelManifest = {
  family: 'sam3',
  source: 'jamjamjon/usls SAM3 ONNX (github.com/jamjamjon/assets/releases/tag/sam3)',
  graphs: {
    vision_encoder: {
      file: 'vision-encoder.onnx',
      inputs: { pixel_values: 'images' },
      outputs: { fpn_feat_0: 'fpn_feat_0', fpn_feat_1: 'fpn_feat_1', fpn_feat_2: 'fpn_feat_2', fpn_pos_2: 'fpn_pos_2' },
    },
    text_encoder: {
      file: 'text-encoder.onnx',
      inputs: { input_ids: 'input_ids', attention_mask: 'attention_mask' },
      outputs: { text_features: 'text_features', text_mask: 'text_mask' },
    },
    decoder: {
      file: 'decoder.onnx',
      inputs: {
        fpn_feat_0: 'fpn_feat_0',
        fpn_feat_1: 'fpn_feat_1',
        fpn_feat_2: 'fpn_feat_2',
        fpn_pos_2: 'fpn_pos_2',
        text_features: 'prompt_features',
        text_mask: 'prompt_mask',
      },
      outputs: {
        pred_masks: 'pred_masks',
        pred_boxes: 'pred_boxes',
        pred_logits: 'pred_logits',
        presence_logits: 'presence_logits',
      },
    },
  },
  preprocessing: { image_size: 1008 },
  config: { box_format: 'xyxy', pad_token_id: 49407, max_text_length: 32 },
};

export const SAM3_GRAPHS = { vision: 'vision_encoder', text: 'text_encoder', decoder: 'decoder' } as const;

/**
 * The three graphs and how the decoder is fed. A decoder input role is filled by the vision encoder output of the
 * same role (the image embeddings: every vision output the manifest lists, cached per image) or else by the text
 * encoder output of that role (cached per prompt).
 */
export interface Sam3Graphs {
  vision: GraphManifest;
  text: GraphManifest;
  decoder: GraphManifest;
  /** Decoder input roles fed from the vision encoder, and from the text encoder. */
  visionRoles: string[];
  textRoles: string[];
}

function graphOf(manifest: ModelManifest, name: string): GraphManifest {
  const graph = manifest.graphs[name];
  if (!graph) throw new Error(`a SAM3 manifest needs a graph named "${name}"`);
  return graph;
}

export function sam3Graphs(manifest: ModelManifest): Sam3Graphs {
  const vision = graphOf(manifest, SAM3_GRAPHS.vision);
  const text = graphOf(manifest, SAM3_GRAPHS.text);
  const decoder = graphOf(manifest, SAM3_GRAPHS.decoder);
  const visionRoles: string[] = [];
  const textRoles: string[] = [];
  for (const role of Object.keys(decoder.inputs)) {
    if (role in vision.outputs) visionRoles.push(role);
    else if (role in text.outputs) textRoles.push(role);
    else throw new Error(`SAM3 decoder input role "${role}" is an output of neither the vision nor the text encoder`);
  }
  if (visionRoles.length === 0) throw new Error('the SAM3 decoder takes no vision encoder output');
  return { vision, text, decoder, visionRoles, textRoles };
}

const TEXT_RANKS: Record<string, number> = { text_features: 3, text_mask: 2 };

/** Ranks of the roles whose rank is known. */
function ranked(roles: string[], rankOf: (role: string) => number | undefined): Record<string, number> {
  return Object.fromEntries(
    roles.flatMap((role) => (rankOf(role) === undefined ? [] : [[role, rankOf(role) as number]])),
  );
}

/**
 * Ranks the processor relies on: image embeddings are FPN maps [B,C,h,w]; text_features [B,T,D] and text_mask [B,T]
 * are checked when named so; other text roles pass through unchecked, since the processor only forwards them.
 */
export function sam3Expectations(graphs: Sam3Graphs): Record<string, GraphExpectation> {
  const visionRank = (role: string) => (role in graphs.vision.outputs ? 4 : TEXT_RANKS[role]);
  return {
    [SAM3_GRAPHS.vision]: { inputs: { pixel_values: 4 }, outputs: ranked(Object.keys(graphs.vision.outputs), () => 4) },
    [SAM3_GRAPHS.text]: {
      inputs: { input_ids: 2, attention_mask: 2 },
      outputs: ranked(Object.keys(graphs.text.outputs), (role) => TEXT_RANKS[role]),
    },
    [SAM3_GRAPHS.decoder]: {
      inputs: ranked(Object.keys(graphs.decoder.inputs), visionRank),
      outputs: { pred_masks: 4, pred_boxes: 3, pred_logits: 2, presence_logits: 2 },
    },
  };
}
