import simplify from 'simplify-js';

import type { Ring } from './mask-contours.js';

interface Point {
  x: number;
  y: number;
}

/**
 * Ramer–Douglas–Peucker simplification of a closed ring (flat [x1,y1,…]), via simplify-js.
 *
 * RDP works on open polylines, so the ring is cut at its first vertex and at the vertex farthest from it,
 * and both halves are simplified with those two vertices fixed. Every dropped vertex then lies within
 * `tolerance` of the chord that replaced it, which bounds the area change by tolerance × ring perimeter.
 * If simplification would leave fewer than 3 vertices (a small blob at a large tolerance), the ring is
 * returned unchanged: deciding that a component is too small is `minArea`'s job, not the simplifier's.
 */
export function simplifyRing(ring: Ring, tolerance: number): Ring {
  const points = toPoints(ring);
  if (tolerance <= 0 || points.length <= 3) return ring;
  const far = farthestFrom(points, 0);
  const first = simplify(points.slice(0, far + 1), tolerance, true);
  const second = simplify([...points.slice(far), points[0]], tolerance, true);
  const simplified = [...first.slice(0, -1), ...second.slice(0, -1)];
  return simplified.length < 3 ? ring : simplified.flatMap((p) => [p.x, p.y]);
}

function toPoints(ring: Ring): Point[] {
  const points: Point[] = [];
  for (let i = 0; i < ring.length; i += 2) points.push({ x: ring[i], y: ring[i + 1] });
  return points;
}

function farthestFrom(points: readonly Point[], index: number): number {
  const { x, y } = points[index];
  let best = index;
  let bestDistance = -1;
  points.forEach((p, i) => {
    const d = (p.x - x) ** 2 + (p.y - y) ** 2;
    if (d > bestDistance) [best, bestDistance] = [i, d];
  });
  return best;
}
