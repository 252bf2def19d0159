import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { InvalidInputError } from '@focal/contracts';
import { DEFAULT_MANIFESTS } from './default-manifests.js';
import { loadManifest } from './manifest.loader.js';
import { MANIFEST_FILE, ModelManifest } from './model-manifest.js';

const defaults: ModelManifest = {
  family: 'depth_anything',
  source: 'onnx-community/depth-anything-v2-small',
  graphs: {
    model: {
      file: 'onnx/model.onnx',
      inputs: { pixel_values: 'pixel_values' },
      outputs: { predicted_depth: 'predicted_depth' },
    },
  },
  config: { depth_kind: 'relative_inverse_depth' },
};

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'focal-manifest-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function touch(relative: string, content = 'onnx'): Promise<void> {
  const path = join(dir, relative);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

async function writeManifest(manifest: unknown): Promise<void> {
  await writeFile(join(dir, MANIFEST_FILE), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
}

async function loadError(
  family: ModelManifest['family'],
  fallback: ModelManifest | undefined,
): Promise<InvalidInputError> {
  const error = await loadManifest(dir, family, fallback).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return error as InvalidInputError;
}

describe('loadManifest', () => {
  it('uses the family defaults when the folder has no focal-model.json', async () => {
    await touch('onnx/model.onnx');
    await expect(loadManifest(dir, 'depth_anything', defaults)).resolves.toEqual(defaults);
  });

  it('works with the shipped DINOv3 default', async () => {
    await touch('onnx/model.onnx');
    const manifest = await loadManifest(dir, 'dinov3', DEFAULT_MANIFESTS.dinov3);
    expect(manifest.family).toBe('dinov3');
    expect(manifest.graphs.model.outputs.last_hidden_state).toBe('last_hidden_state');
  });

  it('lets its own file override top-level fields and whole graphs, keeping the other defaults', async () => {
    await touch('onnx/model.onnx');
    await touch('extra/aux.onnx');
    await writeManifest({
      family: 'depth_anything',
      demo: true,
      graphs: {
        model: { file: 'onnx/model.onnx', inputs: { pixel_values: 'image' }, outputs: { predicted_depth: 'depth' } },
        aux: { file: 'extra/aux.onnx', inputs: {}, outputs: {} },
      },
    });
    const manifest = await loadManifest(dir, 'depth_anything', defaults);
    expect(manifest.demo).toBe(true);
    expect(manifest.source).toBe(defaults.source);
    expect(manifest.config).toEqual(defaults.config);
    expect(manifest.graphs.model).toEqual({
      file: 'onnx/model.onnx',
      inputs: { pixel_values: 'image' },
      outputs: { predicted_depth: 'depth' },
    });
    expect(Object.keys(manifest.graphs).sort()).toEqual(['aux', 'model']);
  });

  it('keeps default graphs the file does not mention', async () => {
    await touch('onnx/model.onnx');
    await touch('head.onnx');
    await writeManifest({ graphs: { head: { file: 'head.onnx', inputs: {}, outputs: {} } } });
    const manifest = await loadManifest(dir, 'depth_anything', defaults);
    expect(manifest.family).toBe('depth_anything');
    expect(manifest.graphs.model).toEqual(defaults.graphs.model);
    expect(manifest.graphs.head.file).toBe('head.onnx');
  });

  it('loads a folder with its own complete file and no defaults', async () => {
    await touch('m.onnx');
    const own: ModelManifest = {
      family: 'sam3',
      graphs: { decoder: { file: 'm.onnx', inputs: { a: 'a' }, outputs: { b: 'b' } } },
    };
    await writeManifest(own);
    await expect(loadManifest(dir, 'sam3', undefined)).resolves.toEqual(own);
  });

  it('refuses a folder with neither a file nor defaults', async () => {
    const error = await loadError('sam3', undefined);
    expect(error.status).toBe(400);
    expect(error.message).toBe(`${dir} has no focal-model.json and sam3 has no default manifest`);
  });

  it('refuses a model of another family', async () => {
    await touch('onnx/model.onnx');
    await writeManifest({ family: 'dinov3' });
    const error = await loadError('depth_anything', defaults);
    expect(error.message).toBe(`${dir} holds a dinov3 model, not depth_anything`);
  });

  it('refuses defaults of another family', async () => {
    await touch('onnx/model.onnx');
    const error = await loadError('dinov3', defaults);
    expect(error.message).toBe(`${dir} holds a depth_anything model, not dinov3`);
  });

  it('names a graph whose file is missing', async () => {
    const error = await loadError('depth_anything', defaults);
    expect(error.message).toBe(`graph "model" file onnx/model.onnx is missing from ${dir}`);
  });

  it('refuses invalid JSON, naming the file and the folder', async () => {
    await touch('onnx/model.onnx');
    await writeManifest('{ "family": "depth_anything", ');
    const error = await loadError('depth_anything', defaults);
    expect(error.message).toMatch(
      new RegExp(`^focal-model\\.json in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON: `),
    );
  });

  it('takes the Depth Anything 3 defaults when the file names variant "v3", keeping its own settings too', async () => {
    await touch('onnx/model.onnx');
    await writeManifest({ family: 'depth_anything', config: { variant: 'v3' }, preprocessing: { process_res: 392 } });
    const manifest = await loadManifest(dir, 'depth_anything', defaults);
    expect(manifest.graphs.model.outputs).toEqual({
      predicted_depth: 'predicted_depth',
      confidence: 'confidence',
      intrinsics: 'intrinsics',
    });
    // Settings merge key by key: the file's process_res, the variant's depth kind and patch size.
    expect(manifest.config).toEqual({ variant: 'v3', depth_kind: 'depth' });
    expect(manifest.preprocessing).toMatchObject({ process_res: 392, patch_size: 14 });
  });

  it('refuses a variant the family does not have, naming it', async () => {
    await touch('onnx/model.onnx');
    await writeManifest({ family: 'depth_anything', config: { variant: 'v9' } });
    const error = await loadManifest(dir, 'depth_anything', defaults).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(/names variant "v9", which depth_anything does not have/);
  });
});
