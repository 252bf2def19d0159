import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError, ModelType } from '@focal/contracts';
import { VARIANT_MANIFESTS } from './default-manifests.js';
import { MANIFEST_FILE, ModelManifest } from './model-manifest.js';

/**
 * Reads `focal-model.json` from a model folder, layered over the family's default manifest
 * (a folder of a known public export needs no file). Checks the family and that every graph file exists.
 */
export async function loadManifest(
  modelDir: string,
  family: ModelType,
  familyDefaults: ModelManifest | undefined,
): Promise<ModelManifest> {
  const own = await readOwnManifest(modelDir);
  const base = variantDefaults(family, own, modelDir) ?? familyDefaults;
  if (!own && !base) {
    throw new InvalidInputError(`${modelDir} has no ${MANIFEST_FILE} and ${family} has no default manifest`);
  }
  const manifest: ModelManifest = {
    ...base,
    ...own,
    graphs: { ...base?.graphs, ...own?.graphs },
    // Settings merge key by key, so a file can name its variant or one size and keep the other defaults.
    preprocessing: mergeSettings(base?.preprocessing, own?.preprocessing),
    config: mergeSettings(base?.config, own?.config),
  } as ModelManifest;
  if (manifest.family !== family) {
    throw new InvalidInputError(`${modelDir} holds a ${manifest.family} model, not ${family}`);
  }
  for (const [name, graph] of Object.entries(manifest.graphs)) {
    if (typeof graph?.file !== 'string') {
      throw new InvalidInputError(`graph "${name}" in ${MANIFEST_FILE} of ${modelDir} has no "file"`);
    }
    const path = join(modelDir, graph.file);
    await access(path).catch(() => {
      throw new InvalidInputError(`graph "${name}" file ${graph.file} is missing from ${modelDir}`);
    });
  }
  return manifest;
}

/** A `config.variant` in the folder's own file selects that variant's defaults instead of the family's. */
function variantDefaults(
  family: ModelType,
  own: Partial<ModelManifest> | undefined,
  modelDir: string,
): ModelManifest | undefined {
  const variant = own?.config?.variant;
  if (variant === undefined) return undefined;
  const manifest = typeof variant === 'string' ? VARIANT_MANIFESTS[family]?.[variant] : undefined;
  if (!manifest) {
    throw new InvalidInputError(
      `${MANIFEST_FILE} of ${modelDir} names variant ${JSON.stringify(variant)}, which ${family} does not have`,
    );
  }
  return manifest;
}

function mergeSettings(
  defaults: Record<string, unknown> | undefined,
  own: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  return defaults || own ? { ...defaults, ...own } : undefined;
}

async function readOwnManifest(modelDir: string): Promise<Partial<ModelManifest> | undefined> {
  let text: string;
  try {
    text = await readFile(join(modelDir, MANIFEST_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as Partial<ModelManifest>;
  } catch (error) {
    throw new InvalidInputError(`${MANIFEST_FILE} in ${modelDir} is not valid JSON: ${(error as Error).message}`);
  }
}
