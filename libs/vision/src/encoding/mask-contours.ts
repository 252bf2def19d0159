import { assertBinaryMask } from './binary-mask.js';

/*
 * Outer boundaries of the 8-connected components of a binary mask, traced along pixel edges.
 *
 * Geometry: pixel (x, y) is the unit square [x, x+1] × [y, y+1], so contour vertices sit on integer pixel
 * corners, a single pixel is a unit square, and a contour's shoelace area equals its component's pixel
 * count plus the area of its holes.
 *
 * Method (crack following): every foreground-pixel side that faces background or the image border is a
 * directed edge with the foreground on its right (clockwise on screen, y down), so outer boundaries have
 * positive shoelace area and hole boundaries negative. Edges are chained into closed loops. At a saddle
 * vertex (two diagonal foreground pixels) the walk turns left, towards the background pixel it has been
 * following; that joins diagonal neighbours into one component, i.e. foreground is 8-connected (and
 * background 4-connected, so holes are never open to the outside through a diagonal gap).
 */

/** A closed polygon as flat [x1,y1,x2,y2,…]; the last vertex connects back to the first. */
export type Ring = number[];

/** Direction index: 0 east (+x), 1 south (+y), 2 west, 3 north. Turning right is +1, left is +3 (mod 4). */
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

/** Outer rings of all 8-connected components, each listing only corners, in raster order of their top-left vertex. */
export function traceOuterContours(mask: Uint8Array, height: number, width: number): Ring[] {
  assertBinaryMask(mask, height, width);
  const edges = boundaryEdges(mask, height, width);
  const rings: Ring[] = [];
  for (let vertex = 0; vertex < edges.length; vertex++) {
    while (edges[vertex] !== 0) {
      const ring = traceLoop(edges, vertex, lowestBit(edges[vertex]), width + 1);
      if (ringArea(ring) > 0) rings.push(ring);
    }
  }
  return rings;
}

/** Shoelace area of a flat [x1,y1,x2,y2,…] ring; positive when clockwise on screen (y down). */
export function ringArea(ring: readonly number[]): number {
  let twice = 0;
  const n = ring.length;
  for (let i = 0; i < n; i += 2) {
    const j = (i + 2) % n;
    twice += ring[i] * ring[j + 1] - ring[j] * ring[i + 1];
  }
  return twice / 2;
}

/** Per lattice vertex, a 4-bit set of the directions of untraced boundary edges that start there. */
function boundaryEdges(mask: Uint8Array, height: number, width: number): Uint8Array {
  const stride = width + 1;
  const edges = new Uint8Array((height + 1) * stride);
  const isSet = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x] === 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!isSet(x, y)) continue;
      if (!isSet(x, y - 1)) edges[y * stride + x] |= 1 << 0;
      if (!isSet(x + 1, y)) edges[y * stride + x + 1] |= 1 << 1;
      if (!isSet(x, y + 1)) edges[(y + 1) * stride + x + 1] |= 1 << 2;
      if (!isSet(x - 1, y)) edges[(y + 1) * stride + x] |= 1 << 3;
    }
  }
  return edges;
}

/**
 * Walks one closed loop from edge (start, startDir), consuming its edges; returns only its corner vertices.
 * Callers start at the lowest-index vertex that still has edges, i.e. the loop's top-most, then left-most
 * vertex, which is always a corner, so the first vertex pushed never needs removing.
 */
function traceLoop(edges: Uint8Array, start: number, startDir: number, stride: number): Ring {
  const corners: number[] = [];
  let vertex = start;
  let dir = startDir;
  let previous = -1;
  for (;;) {
    edges[vertex] &= ~(1 << dir);
    if (dir !== previous) corners.push(vertex % stride, Math.floor(vertex / stride));
    previous = dir;
    vertex += DX[dir] + DY[dir] * stride;
    const available = edges[vertex] | (vertex === start ? 1 << startDir : 0);
    dir = nextDirection(available, dir);
    if (vertex === start && dir === startDir) break;
  }
  return corners;
}

/** Prefers a left turn (8-connected foreground at saddles), then straight, then right; never reverses. */
function nextDirection(available: number, incoming: number): number {
  for (const turn of [3, 0, 1]) {
    const dir = (incoming + turn) % 4;
    if (available & (1 << dir)) return dir;
  }
  throw new Error('Broken boundary: a contour edge has no continuation');
}

function lowestBit(bits: number): number {
  return 31 - Math.clz32(bits & -bits);
}
