import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError, ModelType } from '@focal/contracts';
import { MANIFEST_FILE, ModelManifest } from './model-manifest.js';

/**
 * Reads `focal-model.json` from a model folder, layered over the family's default manifest
 * (a folder of a known public export needs no file). Checks the family and that every graph file exists.
 */
export async function loadManifest(
  modelDir: string,
  family: ModelType,
  defaults: ModelManifest | undefined,
): Promise<ModelManifest> {
  const own = await readOwnManifest(modelDir);
  if (!own && !defaults) {
    throw new InvalidInputError(`${modelDir} has no ${MANIFEST_FILE} and ${family} has no default manifest`);
  }
  const manifest: ModelManifest = {
    ...defaults,
    ...own,
    graphs: { ...defaults?.graphs, ...own?.graphs },
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
