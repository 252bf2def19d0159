import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { OnnxGraphBuilder } from '@focal/demo-models';
import type { ModelManifest } from '@focal/vision';

/** A model folder the worker serves: its graph at the manifest's path, focal-model.json, and any HF files. */
export interface GraphFolder {
  dir: string;
  onnxPath: string;
  parameters: number;
  fileMB: number;
  buildSeconds: number;
}

/**
 * Builds one graph (opset 17) with `build` and writes it under `dir` at the path of the manifest's `model` graph, with the manifest
 * as focal-model.json and each of `jsonFiles` (file name → content) beside it.
 */
export function writeGraphFolder(
  dir: string,
  graphName: string,
  manifest: ModelManifest,
  build: (builder: OnnxGraphBuilder) => void,
  jsonFiles: Record<string, unknown> = {},
): GraphFolder {
  const started = performance.now();
  const builder = new OnnxGraphBuilder(graphName, 17);
  build(builder);
  const bytes = builder.toBytes();
  const onnxPath = join(dir, manifest.graphs.model.file);
  mkdirSync(dirname(onnxPath), { recursive: true });
  writeFileSync(onnxPath, bytes);
  for (const [name, content] of Object.entries({ 'focal-model.json': manifest, ...jsonFiles }))
    writeFileSync(join(dir, name), JSON.stringify(content, null, 2));
  return {
    dir,
    onnxPath,
    parameters: builder.parameters,
    fileMB: bytes.byteLength / 2 ** 20,
    buildSeconds: (performance.now() - started) / 1000,
  };
}
