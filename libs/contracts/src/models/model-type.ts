/** The four model families Focal serves. The canonical spelling uses underscores. */
export const MODEL_TYPES = ['sam3', 'grounding_dino', 'depth_anything', 'dinov3'] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

/** Route spellings (`grounding-dino`) are accepted everywhere as the same model type. */
export function parseModelType(raw: string): ModelType | undefined {
  const normalized = raw.trim().toLowerCase().replace(/-/g, '_');
  return (MODEL_TYPES as readonly string[]).includes(normalized) ? (normalized as ModelType) : undefined;
}

/** The hyphenated spelling used in URLs and Kubernetes object names. */
export function modelTypeSlug(type: ModelType): string {
  return type.replace(/_/g, '-');
}
