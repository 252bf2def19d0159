import { createRequire } from 'node:module';

import { NodeIO, Primitive } from '@gltf-transform/core';

import { assumedIntrinsics } from './camera-intrinsics.js';
import { depthToPointCloudGlb, type PointCloudInput } from './point-cloud-glb.encoder.js';
import { seededRandom } from './spec-support.js';

interface ValidationReport {
  issues: { numErrors: number; numWarnings: number; messages: { code: string; message: string; severity: number }[] };
}

// gltf-validator ships CommonJS without type declarations.
const validator = createRequire(import.meta.url)('gltf-validator') as {
  validateBytes(data: Uint8Array): Promise<ValidationReport>;
};

async function readPoints(glb: Uint8Array) {
  const doc = await new NodeIO().readBinary(glb);
  const meshes = doc.getRoot().listMeshes();
  expect(meshes).toHaveLength(1);
  const primitives = meshes[0].listPrimitives();
  expect(primitives).toHaveLength(1);
  const [primitive] = primitives;
  const position = primitive.getAttribute('POSITION');
  const color = primitive.getAttribute('COLOR_0');
  if (!position || !color) throw new Error('missing POSITION or COLOR_0');
  return {
    mode: primitive.getMode(),
    position: { type: position.getType(), array: position.getArray() as Float32Array },
    color: { type: color.getType(), normalized: color.getNormalized(), array: color.getArray() },
  };
}

function point(positions: Float32Array, n: number): number[] {
  return Array.from(positions.subarray(n * 3, n * 3 + 3));
}

function constantRgb(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  return Uint8Array.from({ length: width * height * 3 }, (_, i) => rgb[i % 3]);
}

/** 5×3 image, every pixel its own colour (r = x·40, g = y·80, b = 7) and depth 1 + x + 10·y. */
function smallScene(overrides: Partial<PointCloudInput> = {}): PointCloudInput {
  const [width, height] = [5, 3];
  const depth = Float32Array.from({ length: width * height }, (_, i) => 1 + (i % width) + 10 * Math.floor(i / width));
  const rgb = Uint8Array.from({ length: width * height * 3 }, (_, j) => {
    const [i, c] = [Math.floor(j / 3), j % 3];
    return [(i % width) * 40, Math.floor(i / width) * 80, 7][c];
  });
  return { depth, rgb, width, height, ...overrides };
}

describe('depthToPointCloudGlb', () => {
  it('produces a GLB that the Khronos glTF validator accepts with zero errors', async () => {
    const { glb } = await depthToPointCloudGlb(smallScene());
    const report = await validator.validateBytes(glb);
    expect(report.issues.messages.filter((m) => m.severity === 0)).toEqual([]);
    expect(report.issues.numErrors).toBe(0);
  });

  it('writes one POINTS primitive with float32 VEC3 positions and normalised uint8 VEC4 colours', async () => {
    const { glb, metadata } = await depthToPointCloudGlb(smallScene());
    const points = await readPoints(glb);
    expect(points.mode).toBe(Primitive.Mode.POINTS);
    expect(points.position.type).toBe('VEC3');
    expect(points.position.array).toBeInstanceOf(Float32Array);
    expect(points.color).toMatchObject({ type: 'VEC4', normalized: true });
    expect(points.color.array).toBeInstanceOf(Uint8Array);
    expect(points.position.array.length / 3).toBe(15);
    expect(metadata.points).toBe(15);
  });

  it('puts a pixel at the principal point with depth d at (0, 0, −d) and back-projects the others', async () => {
    const intrinsics = { fx: 2, fy: 4, cx: 2, cy: 1 };
    const input = smallScene({ intrinsics });
    const { glb, metadata } = await depthToPointCloudGlb(input);
    const { position } = await readPoints(glb);
    expect(metadata).toMatchObject({ intrinsicsSource: 'model', intrinsics, depthIsDisparity: false });
    expect(metadata.fovDegrees).toBeUndefined();
    // Pixel (2, 1) is raster index 7, depth 1 + 2 + 10 = 13.
    expect(point(position.array, 7)).toEqual([0, 0, -13]);
    // Pixel (4, 2), depth 25: X = (4 − 2)·25/2 = 25, Y_cv = (2 − 1)·25/4 = 6.25 → glTF y = −6.25.
    expect(point(position.array, 14)).toEqual([25, -6.25, -25]);
    // Pixel (0, 0), depth 1: X = −2·1/2 = −1, Y_cv = −1·1/4 → glTF y = +0.25 (image top is up).
    expect(point(position.array, 0)).toEqual([-1, 0.25, -1]);
  });

  it('carries each pixel colour with alpha 255', async () => {
    const { glb } = await depthToPointCloudGlb(smallScene());
    const { color } = await readPoints(glb);
    expect(Array.from(color.array.subarray(7 * 4, 8 * 4))).toEqual([80, 80, 7, 255]);
    expect(Array.from(color.array.subarray(14 * 4, 15 * 4))).toEqual([160, 160, 7, 255]);
  });

  it('assumes fx = fy = (W/2)/tan(fov/2) and a centred principal point without intrinsics', async () => {
    const [width, height] = [7, 5];
    const depth = new Float32Array(width * height).fill(3);
    const { glb, metadata } = await depthToPointCloudGlb({
      depth,
      width,
      height,
      rgb: constantRgb(width, height, [1, 2, 3]),
      fovDegrees: 90,
    });
    expect(metadata).toMatchObject({ intrinsicsSource: 'assumed_fov', fovDegrees: 90 });
    expect(metadata.intrinsics.fx).toBeCloseTo(3.5, 12);
    expect(metadata.intrinsics).toEqual({ fx: metadata.intrinsics.fx, fy: metadata.intrinsics.fx, cx: 3, cy: 2 });
    const { position } = await readPoints(glb);
    // Centre pixel (3, 2) on the axis; right-most pixel centre (6, 2) at X = 3·3/3.5.
    expect(point(position.array, 2 * width + 3)).toEqual([0, 0, -3]);
    expect(position.array[(2 * width + 6) * 3]).toBeCloseTo((3 * 3) / 3.5, 5);
  });

  it('defaults to a 60° horizontal field of view', async () => {
    const { metadata } = await depthToPointCloudGlb(smallScene());
    expect(metadata.fovDegrees).toBe(60);
    expect(metadata.intrinsics.fx).toBeCloseTo(2.5 / Math.tan(Math.PI / 6), 12);
    expect(assumedIntrinsics(640, 480, 60).fx).toBeCloseTo(320 * Math.sqrt(3), 9);
  });

  it('skips non-finite and non-positive depths', async () => {
    const input = smallScene();
    input.depth.set([Number.NaN, Infinity, 0, -2], 0);
    const { glb, metadata } = await depthToPointCloudGlb(input);
    const { position, color } = await readPoints(glb);
    expect(metadata.points).toBe(11);
    expect(position.array.length).toBe(33);
    expect(Array.from(color.array.subarray(0, 4))).toEqual([160, 0, 7, 255]);
    expect(position.array.every(Number.isFinite)).toBe(true);
  });

  it('turns disparity into depth 1/disparity when every disparity is positive', async () => {
    const [width, height] = [3, 1];
    const disparity = Float32Array.from([0.5, 2, 4]);
    const intrinsics = { fx: 1, fy: 1, cx: 0, cy: 0 };
    const { glb, metadata } = await depthToPointCloudGlb({
      depth: disparity,
      width,
      height,
      rgb: constantRgb(3, 1, [0, 0, 0]),
      intrinsics,
      depthIsDisparity: true,
    });
    const { position } = await readPoints(glb);
    expect(metadata.depthIsDisparity).toBe(true);
    expect([0, 1, 2].map((n) => position.array[n * 3 + 2])).toEqual([-2, -0.5, -0.25]);
  });

  it('shifts non-positive disparities so the minimum becomes 1% of the range before inverting', async () => {
    const disparity = Float32Array.from([-1, 0, 3, Number.NaN]);
    const intrinsics = { fx: 1, fy: 1, cx: 0, cy: 0 };
    const { glb, metadata } = await depthToPointCloudGlb({
      depth: disparity,
      width: 4,
      height: 1,
      rgb: constantRgb(4, 1, [0, 0, 0]),
      intrinsics,
      depthIsDisparity: true,
    });
    const { position } = await readPoints(glb);
    // Range 4, floor 0.04: shift = 1.04, shifted disparities 0.04, 1.04, 4.04; NaN dropped.
    expect(metadata.points).toBe(3);
    const z = [0, 1, 2].map((n) => -position.array[n * 3 + 2]);
    [1 / 0.04, 1 / 1.04, 1 / 4.04].forEach((expected, n) => expect(z[n]).toBeCloseTo(expected, 4));
  });

  it('subsamples deterministically on an even grid to at most maxPoints', async () => {
    const [width, height] = [40, 30];
    const depth = new Float32Array(width * height).fill(2);
    const rgb = Uint8Array.from({ length: width * height * 3 }, (_, j) =>
      j % 3 === 0 ? Math.floor(j / 3) % width : Math.floor(j / 3 / width),
    );
    const input = { depth, width, height, rgb, maxPoints: 300 };
    const first = await depthToPointCloudGlb(input);
    const second = await depthToPointCloudGlb(input);
    expect(first.glb).toEqual(second.glb);
    // 1200 valid pixels: step 2 keeps 20·15 = 300.
    expect(first.metadata.points).toBe(300);
    const { color } = await readPoints(first.glb);
    const columns = new Set<number>();
    const rows = new Set<number>();
    for (let n = 0; n < 300; n++) {
      columns.add(color.array[n * 4]);
      rows.add(color.array[n * 4 + 1]);
    }
    expect([...columns].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, k) => 2 * k));
    expect([...rows].sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, k) => 2 * k));
  });

  it('never exceeds maxPoints on random validity patterns', async () => {
    const random = seededRandom(5);
    for (const maxPoints of [1, 7, 50, 333]) {
      const [width, height] = [37, 23];
      const depth = Float32Array.from({ length: width * height }, () => (random() < 0.6 ? 1 + random() : Number.NaN));
      const { metadata } = await depthToPointCloudGlb({
        depth,
        width,
        height,
        rgb: constantRgb(width, height, [9, 9, 9]),
        maxPoints,
      });
      expect(metadata.points).toBeGreaterThan(0);
      expect(metadata.points).toBeLessThanOrEqual(maxPoints);
    }
  });

  it('writes a valid, empty scene when no depth is usable', async () => {
    const { glb, metadata } = await depthToPointCloudGlb({
      depth: new Float32Array(4).fill(Number.NaN),
      width: 2,
      height: 2,
      rgb: new Uint8Array(12),
    });
    expect(metadata.points).toBe(0);
    const report = await validator.validateBytes(glb);
    expect(report.issues.messages.filter((m) => m.severity === 0)).toEqual([]);
    expect((await new NodeIO().readBinary(glb)).getRoot().listMeshes()).toEqual([]);
  });

  it('rejects inconsistent input', async () => {
    const input = smallScene();
    await expect(depthToPointCloudGlb({ ...input, depth: new Float32Array(14) })).rejects.toThrow(
      /depth has 14 values/,
    );
    await expect(depthToPointCloudGlb({ ...input, rgb: new Uint8Array(15) })).rejects.toThrow(/rgb has 15 bytes/);
    await expect(depthToPointCloudGlb({ ...input, intrinsics: { fx: 0, fy: 1, cx: 0, cy: 0 } })).rejects.toThrow(
      /positive focal/,
    );
    await expect(depthToPointCloudGlb({ ...input, fovDegrees: 180 })).rejects.toThrow(/fovDegrees/);
    await expect(depthToPointCloudGlb({ ...input, maxPoints: 0 })).rejects.toThrow(/maxPoints/);
  });
});
