import { ringArea, traceOuterContours } from './mask-contours.js';
import { simplifyRing } from './ring-simplify.js';

export interface MaskToPolygonsOptions {
  /** RDP tolerance in pixels; 0 keeps every corner of the pixel outline. Default 1. */
  tolerance?: number;
  /** Polygons whose (simplified) area is below this, in square pixels, are dropped. Default 1. */
  minArea?: number;
}

/**
 * COCO-style polygons (flat [x1,y1,x2,y2,…]) for the outer contour of every 8-connected component of a
 * row-major 0/1 mask. Holes are not represented: each polygon covers its component's holes too.
 *
 * Coordinates are pixel-corner based (pixel (x, y) spans [x, x+1] × [y, y+1]), vertices run clockwise on
 * screen (y down), and polygons come in raster order of their top-left vertex. The area used for `minArea`
 * is that of the returned polygon.
 */
export function maskToPolygons(
  mask: Uint8Array,
  height: number,
  width: number,
  options: MaskToPolygonsOptions = {},
): number[][] {
  const tolerance = nonNegative(options.tolerance ?? 1, 'tolerance');
  const minArea = nonNegative(options.minArea ?? 1, 'minArea');
  return traceOuterContours(mask, height, width)
    .map((ring) => simplifyRing(ring, tolerance))
    .filter((ring) => ring.length >= 6 && ringArea(ring) >= minArea);
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
  return value;
}
