import type { ModelType } from '@focal/contracts';

/** A public ONNX export to use when only the model type is given, and the files worth fetching from it. */
export interface DefaultModelRepo {
  readonly kind: 'repo';
  readonly id: string;
  /** Patterns for ModelStore.ensure: the fp32 graph and the configs, not every quantised variant. */
  readonly files: readonly string[];
}

/** No public export fits, so callers must name one; `candidates` are known community exports. */
export interface ExplicitIdRequired {
  readonly kind: 'explicit-id-required';
  readonly reason: string;
  readonly candidates: readonly string[];
}

export type DefaultModelSource = DefaultModelRepo | ExplicitIdRequired;

/** Sources: reference/model-contracts.md (survey of public ONNX exports). */
export const DEFAULT_MODEL_SOURCES = {
  grounding_dino: {
    kind: 'repo',
    id: 'onnx-community/grounding-dino-tiny-ONNX',
    files: ['onnx/model.onnx', '*.json', 'vocab.txt'],
  },
  depth_anything: {
    kind: 'repo',
    id: 'onnx-community/depth-anything-v2-small',
    files: ['onnx/model.onnx', '*.json'],
  },
  dinov3: {
    kind: 'repo',
    id: 'onnx-community/dinov3-vits16-pretrain-lvd1689m-ONNX',
    files: ['onnx/model.onnx', '*.json'],
  },
  sam3: {
    kind: 'explicit-id-required',
    reason:
      'There is no onnx-community export of text-prompted SAM3 (onnx-community/sam3-tracker-ONNX takes points and boxes only), ' +
      'and the community exports differ in graph split and tensor names.',
    candidates: [
      'danilobukvic/sam3-text-onnx',
      'jshirota/sam3-text-onnx',
      'vietanhdev/segment-anything-3-onnx-models',
      'rusen/sam3-browser-int8',
      'greenjava/sam3-onnx',
    ],
  },
} as const satisfies Record<ModelType, DefaultModelSource>;

/**
 * The default source for a model type, accepting route spellings (`depth-anything`);
 * undefined when `name` is not a model type (then it is a model id).
 */
export function defaultModelSource(name: string): { type: ModelType; source: DefaultModelSource } | undefined {
  const type = name.trim().toLowerCase().replace(/-/g, '_');
  return Object.hasOwn(DEFAULT_MODEL_SOURCES, type)
    ? { type: type as ModelType, source: DEFAULT_MODEL_SOURCES[type as ModelType] }
    : undefined;
}
