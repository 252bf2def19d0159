import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ModelType } from '@focal/contracts';
import type { DemoModel } from './demo-model.js';
import { DEMO_MODELS } from './demo-models.registry.js';

/** Bumped whenever a demo graph changes, so stale generated folders are rebuilt. */
export const DEMO_MODELS_VERSION = 4;

const MANIFEST = 'focal-model.json';

async function isCurrent(dir: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as { demo_version?: number };
    return manifest.demo_version === DEMO_MODELS_VERSION;
  } catch {
    return false;
  }
}

async function writeModel(model: DemoModel, dir: string): Promise<void> {
  for (const [relative, content] of Object.entries(model.files())) {
    await mkdir(dirname(join(dir, relative)), { recursive: true });
    await writeFile(join(dir, relative), content);
  }
  const manifest = { ...model.manifest, demo_version: DEMO_MODELS_VERSION };
  await writeFile(join(dir, MANIFEST), JSON.stringify(manifest, null, 2));
}

/**
 * Generates the demo model of a family under `<root>/focal-demo/<family>` unless a current one is there.
 * Written to a temp folder then renamed, so concurrent workers never see a half-written model.
 */
export async function ensureDemoModel(family: ModelType, root: string): Promise<string> {
  const model = DEMO_MODELS[family];
  const dir = join(root, 'focal-demo', family);
  if (await isCurrent(dir)) return dir;
  await mkdir(dirname(dir), { recursive: true });
  const staging = await mkdtemp(`${dir}.tmp-`);
  try {
    await writeModel(model, staging);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (await isCurrent(dir)) return dir;
    throw error;
  }
  return dir;
}
