/**
 * Where the playground's 3D view must draw a GLB point cloud, worked out here from the GLB's own points and the
 * camera the viewer promises (apps/playground/src/render/glb.viewer.ts: framed on the bounding box, from
 * centre + (0, 0, 0.9 × its diagonal), looking down −z, vertical field of view 50°). Shares no code with the viewer
 * or with three.js: a GLB reader for one POSITION accessor and a pinhole projection.
 */

const GLB_MAGIC = 0x46546c67;
const JSON_CHUNK = 0x4e4f534a;
const BIN_CHUNK = 0x004e4942;
const FLOAT = 5126;

/** The float32 POSITION of the GLB's first primitive, as x, y, z triples (interleaved views read by their stride). */
export function glbPositions(glb: Buffer): Float32Array {
  if (glb.readUInt32LE(0) !== GLB_MAGIC) throw new Error('not a GLB');
  let offset = 12;
  let json: any;
  let bin: Buffer | undefined;
  while (offset < glb.length) {
    const length = glb.readUInt32LE(offset);
    const type = glb.readUInt32LE(offset + 4);
    const data = glb.subarray(offset + 8, offset + 8 + length);
    if (type === JSON_CHUNK) json = JSON.parse(data.toString('utf8'));
    if (type === BIN_CHUNK) bin = data;
    offset += 8 + length;
  }
  const accessor = json.accessors[json.meshes[0].primitives[0].attributes.POSITION];
  if (accessor.componentType !== FLOAT || accessor.type !== 'VEC3') throw new Error('POSITION is not float VEC3');
  const view = json.bufferViews[accessor.bufferView];
  const start = (view.byteOffset ?? 0) + (accessor.byteOffset ?? 0);
  const stride = view.byteStride ?? 12;
  const positions = new Float32Array(accessor.count * 3);
  for (let i = 0; i < accessor.count; i++) {
    for (let axis = 0; axis < 3; axis++) positions[i * 3 + axis] = bin!.readFloatLE(start + i * stride + axis * 4);
  }
  return positions;
}

export interface ScreenPoint {
  x: number;
  y: number;
}

/** Each point's position in canvas pixels (origin top left) for a canvas of this size. */
export function viewerProjection(positions: Float32Array, width: number, height: number): ScreenPoint[] {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    for (let axis = 0; axis < 3; axis++) {
      min[axis] = Math.min(min[axis], positions[i + axis]);
      max[axis] = Math.max(max[axis], positions[i + axis]);
    }
  }
  const centre = min.map((m, axis) => (m + max[axis]) / 2);
  const diagonal = Math.hypot(...max.map((m, axis) => m - min[axis])) || 1;
  const cameraZ = centre[2] + 0.9 * diagonal;
  const focal = height / 2 / Math.tan((25 * Math.PI) / 180);
  const points: ScreenPoint[] = [];
  for (let i = 0; i < positions.length; i += 3) {
    const distance = cameraZ - positions[i + 2];
    points.push({
      x: width / 2 + ((positions[i] - centre[0]) / distance) * focal,
      y: height / 2 - ((positions[i + 1] - centre[1]) / distance) * focal,
    });
  }
  return points;
}

/** The top and bottom of what is drawn in canvas column `x`: from projected points, or from pixels. */
export interface ColumnExtent {
  top: number;
  bottom: number;
}

export function projectedExtent(points: ScreenPoint[], x: number): ColumnExtent | undefined {
  const column = points.filter((p) => Math.floor(p.x) === x);
  if (column.length === 0) return undefined;
  return { top: Math.min(...column.map((p) => p.y)), bottom: Math.max(...column.map((p) => p.y)) };
}
