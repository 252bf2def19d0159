import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decode } from 'fast-png';
import { parseNpyFloat32 } from './npy.parser.js';

/** The committed outputs of tools/reference (see tools/reference/README.md); no Python at test time. */
export const REFERENCE_ROOT = resolve('tools/reference');
export const IMAGES_DIR = join(REFERENCE_ROOT, 'images');

/** One array of reference.json: where it is and how it was encoded (tools/reference/reference_common.py). */
export interface FixtureArray {
  file: string;
  encoding: 'npy_f32' | 'levels_png8' | 'levels_png16' | 'range_png16';
  shape: number[];
  mean?: number[];
  std?: number[];
  min?: number;
  max?: number;
  max_abs?: number;
  quantisation_abs?: number;
  quantisation_levels?: number;
}

export interface FixtureImage {
  image: string;
  id: string;
  loaded_size: [number, number];
  [array: string]: unknown;
}

export interface ReferenceFixture {
  family: string;
  dir: string;
  /** The model folder, served with FOCAL_MODEL_<TYPE>=<absolute folder>. */
  modelDir: string;
  reference: { images: FixtureImage[]; processor: Record<string, string>; [key: string]: unknown };
}

export function loadFixture(family: string): ReferenceFixture {
  const dir = join(REFERENCE_ROOT, 'fixtures', family);
  const reference = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8'));
  return { family, dir, modelDir: join(dir, 'model'), reference };
}

/** The test image's bytes, as a client would send them (base64). */
export function imageBase64(file: string): string {
  return readFileSync(join(IMAGES_DIR, file)).toString('base64');
}

export function readNpy(path: string): { data: Float32Array; shape: number[] } {
  return parseNpyFloat32(readFileSync(path), path);
}

/**
 * A reference array as float64 values in the layout of `shape`: levels (0–255, planar [3,H,W]) for
 * pixel_values, the de-quantised map for range_png16, the exact values for npy_f32.
 */
export function readFixtureArray(fixture: ReferenceFixture, entry: FixtureArray): Float64Array {
  const path = join(fixture.dir, entry.file);
  if (entry.encoding === 'npy_f32') return Float64Array.from(readNpy(path).data);
  const png = decode(readFileSync(path));
  if (entry.encoding === 'range_png16') {
    const { min = 0, max = 0 } = entry;
    return Float64Array.from(png.data as Uint16Array, (v) => min + (v / 65535) * (max - min));
  }
  const [, height, width] = entry.shape;
  const scale = entry.encoding === 'levels_png16' ? 1 / 256 : 1;
  const out = new Float64Array(3 * height * width);
  const plane = height * width;
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) out[c * plane + i] = png.data[i * 3 + c] * scale;
  return out;
}

/** The stored 16-bit levels of a range_png16 array: for HF's depth, the PNG16 Focal would make from it. */
export function readPng16Levels(fixture: ReferenceFixture, entry: FixtureArray): Uint16Array {
  return decode(readFileSync(join(fixture.dir, entry.file))).data as Uint16Array;
}
