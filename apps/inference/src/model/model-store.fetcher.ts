import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InferenceConfig } from '@focal/config';
import {
  ConflictError,
  FocalError,
  ForbiddenError,
  InvalidInputError,
  ModelType,
  ModelUnavailableError,
  NotFoundError,
} from '@focal/contracts';
import { ModelNotFoundError, ModelStore, ModelStoreError } from '@focal/model-store';
import { DEFAULT_MANIFESTS, MANIFEST_FILE, ModelManifest } from '@focal/vision';
import type { ModelFetcher } from './model-dir.resolver.js';
import { onnxExportOf } from './onnx-export.aliases.js';

/** Small files first: configs, tokenizers and an optional focal-model.json that names the graphs. */
const METADATA_FILES = ['*.json', '*.txt', '*.model'];

function graphFiles(manifest: Pick<ModelManifest, 'graphs'>): string[] {
  // `?data` matches both external-data spellings (model.onnx_data, model.onnx.data) and may match nothing.
  return Object.values(manifest.graphs).flatMap((graph) => [graph.file, `${graph.file}?data`]);
}

function toDomainError(error: unknown, modelId: string): unknown {
  if (!(error instanceof ModelStoreError)) return error;
  const message = `${modelId}: ${error.message}`;
  const byCode: Record<string, (m: string) => FocalError> = {
    INVALID_MODEL_ID: (m) => new InvalidInputError(m),
    MODEL_NOT_FOUND: (m) => new NotFoundError(m),
    MODEL_ACCESS_DENIED: (m) => new ForbiddenError(m),
    OFFLINE_CACHE_MISS: (m) => new NotFoundError(m),
    INTEGRITY_MISMATCH: (m) => new ConflictError(m),
  };
  return (byCode[error.code] ?? ((m: string) => new ModelUnavailableError(m)))(message);
}

/**
 * ModelFetcher over libs/model-store: fetch the metadata, read which graph files the manifest
 * (or the family default) names, then fetch only those, not every quantised variant in the repo.
 */
export class ModelStoreFetcher implements ModelFetcher {
  constructor(private readonly store: ModelStore) {}

  async ensure(requestedId: string, family: ModelType): Promise<string> {
    const modelId = onnxExportOf(requestedId);
    try {
      const metadataDir = await this.fetchMetadata(modelId);
      const manifest = await this.manifestOf(metadataDir, family);
      const fetched = await this.store.ensure(modelId, { files: [...METADATA_FILES, ...graphFiles(manifest)] });
      return fetched.dir;
    } catch (error) {
      throw toDomainError(error, modelId);
    }
  }

  /** A repo may hold no metadata at all (just the graph): then the family defaults decide; a missing repo fails later. */
  private async fetchMetadata(modelId: string): Promise<string | undefined> {
    try {
      return (await this.store.ensure(modelId, { files: METADATA_FILES })).dir;
    } catch (error) {
      if (error instanceof ModelNotFoundError) return undefined;
      throw error;
    }
  }

  private async manifestOf(dir: string | undefined, family: ModelType): Promise<Pick<ModelManifest, 'graphs'>> {
    try {
      if (!dir) throw new Error('no metadata');
      const own = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Partial<ModelManifest>;
      return { graphs: { ...DEFAULT_MANIFESTS[family]?.graphs, ...own.graphs } };
    } catch {
      return {
        graphs: DEFAULT_MANIFESTS[family]?.graphs ?? { model: { file: 'onnx/model.onnx', inputs: {}, outputs: {} } },
      };
    }
  }
}

export function createModelFetcher(config: InferenceConfig): ModelFetcher {
  const { rootFolder, endpoint, token, offline } = config.hub;
  return new ModelStoreFetcher(new ModelStore({ cacheDir: rootFolder, endpoint, token, offline }));
}
