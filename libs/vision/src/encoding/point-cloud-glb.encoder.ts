import { Document, NodeIO, Primitive } from '@gltf-transform/core';

import { assertImageSize } from './binary-mask.js';
import {
  assertIntrinsics,
  assumedIntrinsics,
  type CameraIntrinsics,
  DEFAULT_FOV_DEGREES,
} from './camera-intrinsics.js';
import { disparityToDepth } from './disparity.js';
import { sampleValidPixels } from './point-cloud.sampler.js';

export interface PointCloudInput {
  /** Row-major H×W depth (or disparity, see `depthIsDisparity`). */
  depth: Float32Array;
  width: number;
  height: number;
  /** Row-major RGB interleaved, H×W×3, same pixel grid as `depth`. */
  rgb: Uint8Array;
  intrinsics?: CameraIntrinsics;
  /** Horizontal field of view used only when `intrinsics` is absent. Default 60. */
  fovDegrees?: number;
  depthIsDisparity?: boolean;
  /** Upper bound on emitted points, reached by deterministic grid subsampling. Default 500000. */
  maxPoints?: number;
}

export interface PointCloudMetadata {
  points: number;
  intrinsics: CameraIntrinsics;
  intrinsicsSource: 'model' | 'assumed_fov';
  fovDegrees?: number;
  depthIsDisparity: boolean;
}

export interface PointCloudGlb {
  glb: Uint8Array;
  metadata: PointCloudMetadata;
}

const DEFAULT_MAX_POINTS = 500_000;

/**
 * A coloured point cloud (one mesh, one POINTS primitive with float32 POSITION and normalised uint8 RGBA
 * COLOR_0) back-projected from a depth map.
 *
 * Pixel (x, y) sits at (u, v) = (x, y) (OpenCV pixel-centre convention, matching {@link assumedIntrinsics}),
 * X = (u − cx)·Z/fx, Y = (v − cy)·Z/fy, Z = depth in the OpenCV camera frame (x right, y down, z forward),
 * written as (X, −Y, −Z) in glTF's frame (y up, camera looking down −z). Pixels whose depth is not finite
 * or not positive are skipped. Colours are the input bytes as given (sRGB, as DA3's own GLB export does),
 * with alpha 255. With no valid pixel the GLB's scene holds a single mesh-less node and `points` is 0.
 */
export async function depthToPointCloudGlb(input: PointCloudInput): Promise<PointCloudGlb> {
  assertInput(input);
  const { intrinsics, metadata } = resolveCamera(input);
  const depth = input.depthIsDisparity ? disparityToDepth(input.depth) : input.depth;
  const { positions, colors } = backProject(
    depth,
    input.rgb,
    input.width,
    intrinsics,
    input.maxPoints ?? DEFAULT_MAX_POINTS,
  );
  const glb = await new NodeIO().writeBinary(pointCloudDocument(positions, colors));
  return { glb, metadata: { ...metadata, points: positions.length / 3 } };
}

function resolveCamera(input: PointCloudInput): {
  intrinsics: CameraIntrinsics;
  metadata: Omit<PointCloudMetadata, 'points'>;
} {
  const depthIsDisparity = input.depthIsDisparity ?? false;
  if (input.intrinsics) {
    assertIntrinsics(input.intrinsics);
    const intrinsics = { ...input.intrinsics };
    return { intrinsics, metadata: { intrinsics, intrinsicsSource: 'model', depthIsDisparity } };
  }
  const fovDegrees = input.fovDegrees ?? DEFAULT_FOV_DEGREES;
  const intrinsics = assumedIntrinsics(input.width, input.height, fovDegrees);
  return { intrinsics, metadata: { intrinsics, intrinsicsSource: 'assumed_fov', fovDegrees, depthIsDisparity } };
}

function backProject(depth: Float32Array, rgb: Uint8Array, width: number, k: CameraIntrinsics, maxPoints: number) {
  const kept = selectPixels(depth, width, maxPoints);
  const positions = new Float32Array(kept.length * 3);
  const colors = new Uint8Array(kept.length * 4);
  kept.forEach((i, n) => {
    const [u, v, z] = [i % width, Math.floor(i / width), depth[i]];
    // (X, −Y, −Z) written as (u − cx)·Z/fx, (cy − v)·Z/fy, −Z so that the principal point gives +0, not −0.
    positions.set([((u - k.cx) * z) / k.fx, ((k.cy - v) * z) / k.fy, -z], n * 3);
    colors.set([rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2], 255], n * 4);
  });
  return { positions, colors };
}

/** Indices of pixels with a finite, positive depth, subsampled to at most `maxPoints` (see the sampler). */
function selectPixels(depth: Float32Array, width: number, maxPoints: number): number[] {
  const valid = new Uint8Array(depth.length);
  depth.forEach((z, i) => (valid[i] = Number.isFinite(z) && z > 0 ? 1 : 0));
  return sampleValidPixels(valid, width, maxPoints);
}

/** The scene always holds the node: glTF forbids a scene with an empty `nodes` list, but a mesh-less node is fine. */
function pointCloudDocument(positions: Float32Array, colors: Uint8Array): Document {
  const doc = new Document();
  const node = doc.createNode('point_cloud');
  doc.getRoot().setDefaultScene(doc.createScene('point_cloud').addChild(node));
  if (positions.length === 0) return doc;
  const buffer = doc.createBuffer();
  const position = doc.createAccessor('POSITION').setType('VEC3').setArray(positions).setBuffer(buffer);
  const color = doc.createAccessor('COLOR_0').setType('VEC4').setArray(colors).setNormalized(true).setBuffer(buffer);
  const primitive = doc
    .createPrimitive()
    .setMode(Primitive.Mode.POINTS)
    .setAttribute('POSITION', position)
    .setAttribute('COLOR_0', color);
  node.setMesh(doc.createMesh('point_cloud').addPrimitive(primitive));
  return doc;
}

function assertInput(input: PointCloudInput): void {
  const { width, height, depth, rgb, maxPoints } = input;
  assertImageSize(height, width);
  if (depth.length !== width * height) {
    throw new RangeError(`depth has ${depth.length} values but width×height is ${width}×${height}=${width * height}`);
  }
  if (rgb.length !== width * height * 3) {
    throw new RangeError(`rgb has ${rgb.length} bytes but width×height×3 is ${width * height * 3}`);
  }
  if (maxPoints !== undefined && !(Number.isSafeInteger(maxPoints) && maxPoints > 0)) {
    throw new RangeError(`maxPoints must be a positive integer, got ${maxPoints}`);
  }
}
