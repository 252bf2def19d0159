import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputError, ModelType } from '@focal/contracts';
import { ensureDemoModel } from '@focal/demo-models';

/** Fetches a remote model (hf://, https://, repo id) into the local cache and returns its folder. */
export interface ModelFetcher {
  ensure(modelId: string, family: ModelType): Promise<string>;
}

export interface ResolvedModel {
  dir: string;
  demo: boolean;
}

/**
 * Model id → local folder: "demo" generates the family's demo model in the cache, a local path or
 * file:// URI is used in place, anything else goes through the model store.
 */
export class ModelDirResolver {
  constructor(
    private readonly cacheRoot: string,
    private readonly fetcher: ModelFetcher,
  ) {}

  async resolve(modelId: string, family: ModelType): Promise<ResolvedModel> {
    if (modelId === 'demo') return { dir: await ensureDemoModel(family, this.cacheRoot), demo: true };
    const local = localPathOf(modelId);
    if (local) return { dir: await existingFolder(local), demo: false };
    return { dir: await this.fetcher.ensure(modelId, family), demo: false };
  }
}

function localPathOf(modelId: string): string | undefined {
  if (modelId.startsWith('file://')) return fileURLToPath(modelId);
  return isAbsolute(modelId) ? modelId : undefined;
}

async function existingFolder(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) throw new InvalidInputError(`model folder ${path} does not exist`);
  return path;
}
