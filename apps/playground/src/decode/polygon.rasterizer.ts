/**
 * Fills COCO polygons (flat [x1,y1,x2,y2,…] in pixel-corner coordinates: pixel (x, y) is the square
 * [x, x+1] × [y, y+1]) into a row-major 0/1 mask. A pixel is set when its centre is inside a polygon by the
 * even-odd rule; several polygons are OR-ed (Focal sends one outer contour per connected component).
 * For Focal's unsimplified outlines (polygon_tolerance 0) this gives back the mask exactly.
 */
export function rasterizePolygons(polygons: readonly (readonly number[])[], height: number, width: number): Uint8Array {
  const mask = new Uint8Array(height * width);
  for (const polygon of polygons) fillPolygon(mask, polygon, height, width);
  return mask;
}

function fillPolygon(mask: Uint8Array, polygon: readonly number[], height: number, width: number): void {
  const n = Math.floor(polygon.length / 2);
  if (n < 3) return;
  const crossings: number[] = [];
  for (let y = 0; y < height; y++) {
    const cy = y + 0.5;
    crossings.length = 0;
    for (let i = 0; i < n; i++) {
      const x0 = polygon[2 * i];
      const y0 = polygon[2 * i + 1];
      const x1 = polygon[(2 * i + 2) % (2 * n)];
      const y1 = polygon[(2 * i + 3) % (2 * n)];
      // Half-open in y so a vertex on the scanline is counted once.
      if (y0 <= cy !== y1 <= cy) crossings.push(x0 + ((cy - y0) / (y1 - y0)) * (x1 - x0));
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const from = Math.max(0, Math.ceil(crossings[k] - 0.5));
      const to = Math.min(width - 1, Math.ceil(crossings[k + 1] - 0.5) - 1);
      for (let x = from; x <= to; x++) mask[y * width + x] = 1;
    }
  }
}
