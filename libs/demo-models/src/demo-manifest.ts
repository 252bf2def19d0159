import type { ModelType } from '@focal/contracts';
import { DEFAULT_MANIFESTS } from '@focal/vision';
import type { DemoModel } from './demo-model.js';

/**
 * A demo model's manifest: the family's default manifest (the public export's graph files and tensor names),
 * marked as a demo, with only what the demo changes (its source, and smaller sizes) layered on top.
 * Demo graphs are written at the default file paths, so the two can never drift apart.
 */
export function demoManifest(
  family: ModelType,
  overrides: { source: string; preprocessing?: Record<string, unknown>; config?: Record<string, unknown> },
): DemoModel['manifest'] {
  const defaults = DEFAULT_MANIFESTS[family];
  return {
    ...defaults,
    family,
    demo: true,
    source: overrides.source,
    preprocessing: { ...defaults.preprocessing, ...overrides.preprocessing },
    config: { ...defaults.config, ...overrides.config },
  };
}
