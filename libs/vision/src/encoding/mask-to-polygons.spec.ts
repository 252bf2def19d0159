import { ringArea } from './mask-contours.js';
import { maskToPolygons } from './mask-to-polygons.js';
import { countOnes, maskFrom, randomMask, seededRandom } from './spec-support.js';

interface Component {
  /** Pixel indices in raster order. */
  pixels: number[];
  /** Pixel count of the component with its holes filled. */
  filledArea: number;
  /** Number of pixel edges between the component and background connected to the outside (or the border). */
  outerPerimeter: number;
}

const NEIGHBOURS_4 = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
];
const NEIGHBOURS_8 = [...NEIGHBOURS_4, [1, 1], [1, -1], [-1, 1], [-1, -1]];

/** Flood fill from `seeds` over pixels where `allowed` holds; an independent reference for the tracer. */
function flood(seeds: number[], height: number, width: number, steps: number[][], allowed: (i: number) => boolean) {
  const seen = new Uint8Array(height * width);
  const stack = seeds.filter(allowed);
  stack.forEach((i) => (seen[i] = 1));
  while (stack.length > 0) {
    const i = stack.pop() as number;
    const [x, y] = [i % width, Math.floor(i / width)];
    for (const [dx, dy] of steps) {
      const [nx, ny] = [x + dx, y + dy];
      const j = ny * width + nx;
      if (nx < 0 || ny < 0 || nx >= width || ny >= height || seen[j] || !allowed(j)) continue;
      seen[j] = 1;
      stack.push(j);
    }
  }
  return seen;
}

function components(mask: Uint8Array, height: number, width: number): Component[] {
  const claimed = new Uint8Array(mask.length);
  const result: Component[] = [];
  mask.forEach((v, start) => {
    if (!v || claimed[start]) return;
    const member = flood([start], height, width, NEIGHBOURS_8, (i) => mask[i] === 1);
    member.forEach((m, i) => (claimed[i] |= m));
    result.push(describe8(member, height, width));
  });
  return result;
}

function describe8(member: Uint8Array, height: number, width: number): Component {
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(x, (height - 1) * width + x);
  for (let y = 0; y < height; y++) border.push(y * width, y * width + width - 1);
  const outside = flood(border, height, width, NEIGHBOURS_4, (i) => member[i] === 0);
  const pixels = [...member.keys()].filter((i) => member[i]);
  let outerPerimeter = 0;
  for (const i of pixels) {
    const [x, y] = [i % width, Math.floor(i / width)];
    for (const [dx, dy] of NEIGHBOURS_4) {
      const [nx, ny] = [x + dx, y + dy];
      const offImage = nx < 0 || ny < 0 || nx >= width || ny >= height;
      if (offImage || outside[ny * width + nx]) outerPerimeter++;
    }
  }
  return { pixels, filledArea: height * width - countOnes(outside), outerPerimeter };
}

function pointToSegmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const [dx, dy] = [bx - ax, by - ay];
  const t =
    dx === 0 && dy === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function distanceToRing(px: number, py: number, ring: number[]): number {
  let best = Infinity;
  for (let i = 0; i < ring.length; i += 2) {
    const j = (i + 2) % ring.length;
    best = Math.min(best, pointToSegmentDistance(px, py, ring[i], ring[i + 1], ring[j], ring[j + 1]));
  }
  return best;
}

/**
 * The contract: one polygon per 8-connected component, in raster order of the component's first pixel,
 * starting at that pixel's top-left corner, with |area − filled pixel area| ≤ tolerance × outer perimeter
 * (each dropped vertex is within `tolerance` of its replacing chord, so the area swept between them is at
 * most tolerance × the length of the outline it replaces), and every original corner within `tolerance`.
 */
function expectFaithfulPolygons(mask: Uint8Array, height: number, width: number, tolerance: number): void {
  const expected = components(mask, height, width);
  const polygons = maskToPolygons(mask, height, width, { tolerance, minArea: 0 });
  const exact = maskToPolygons(mask, height, width, { tolerance: 0, minArea: 0 });
  expect(polygons).toHaveLength(expected.length);
  expected.forEach((component, k) => {
    const first = component.pixels[0];
    expect(polygons[k].slice(0, 2)).toEqual([first % width, Math.floor(first / width)]);
    expect(ringArea(exact[k])).toBe(component.filledArea);
    const bound = tolerance * component.outerPerimeter + 1e-9;
    expect(Math.abs(ringArea(polygons[k]) - component.filledArea)).toBeLessThanOrEqual(bound);
    for (let i = 0; i < exact[k].length; i += 2) {
      expect(distanceToRing(exact[k][i], exact[k][i + 1], polygons[k])).toBeLessThanOrEqual(tolerance + 1e-9);
    }
  });
}

/** Random blobs: noise smoothed by a few majority votes, which leaves holes, islands and diagonal pinches. */
function blobMask(height: number, width: number, seed: number): Uint8Array {
  let mask = randomMask(height, width, 0.5, seededRandom(seed));
  for (let pass = 0; pass < 3; pass++) {
    const source = mask;
    mask = maskFrom(height, width, (x, y) => {
      let votes = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++)
          votes += source[(y + dy) * width + x + dx] && x + dx >= 0 && x + dx < width ? 1 : 0;
      }
      return votes >= 5;
    });
  }
  return mask;
}

const TOLERANCES = [0, 0.5, 1, 2];

describe('maskToPolygons', () => {
  it('returns [] for an empty mask', () => {
    expect(maskToPolygons(new Uint8Array(20 * 30), 20, 30)).toEqual([]);
  });

  it('returns the image rectangle for a full mask', () => {
    expect(maskToPolygons(new Uint8Array(20 * 30).fill(1), 20, 30)).toEqual([[0, 0, 30, 0, 30, 20, 0, 20]]);
  });

  it('keeps a lone pixel as a unit square by default instead of simplifying it away', () => {
    const mask = maskFrom(5, 5, (x, y) => x === 4 && y === 0);
    expect(maskToPolygons(mask, 5, 5)).toEqual([[4, 0, 5, 0, 5, 1, 4, 1]]);
  });

  it.each(TOLERANCES)('keeps rectangles exact at tolerance %p', (tolerance) => {
    const mask = maskFrom(30, 40, (x, y) => x >= 3 && x < 37 && y >= 5 && y < 25);
    expect(maskToPolygons(mask, 30, 40, { tolerance })).toEqual([[3, 5, 37, 5, 37, 25, 3, 25]]);
  });

  it.each(TOLERANCES)('follows an L-shape at tolerance %p', (tolerance) => {
    expectFaithfulPolygons(
      maskFrom(30, 30, (x, y) => (x >= 2 && x < 10 && y >= 2 && y < 28) || (y >= 20 && y < 28 && x < 27 && x >= 2)),
      30,
      30,
      tolerance,
    );
  });

  it.each(TOLERANCES)('follows discs of several radii at tolerance %p', (tolerance) => {
    for (const r of [1.5, 4, 9.5, 20]) {
      expectFaithfulPolygons(
        maskFrom(50, 50, (x, y) => (x + 0.5 - 25) ** 2 + (y + 0.5 - 25) ** 2 <= r * r),
        50,
        50,
        tolerance,
      );
    }
  });

  it.each(TOLERANCES)(
    'traces several components, including a ring and the island in it, at tolerance %p',
    (tolerance) => {
      const mask = maskFrom(40, 60, (x, y) => {
        const ring =
          Math.max(Math.abs(x - 12), Math.abs(y - 12)) >= 6 && Math.max(Math.abs(x - 12), Math.abs(y - 12)) <= 10;
        const island = Math.abs(x - 12) <= 2 && Math.abs(y - 12) <= 2;
        const disc = (x - 40) ** 2 + (y - 25) ** 2 <= 64;
        return ring || island || disc || (x === 55 && y === 2);
      });
      expectFaithfulPolygons(mask, 40, 60, tolerance);
      expect(maskToPolygons(mask, 40, 60, { tolerance, minArea: 0 })).toHaveLength(4);
    },
  );

  it.each(TOLERANCES)('follows random blobs with holes and diagonal pinches at tolerance %p', (tolerance) => {
    for (const seed of [1, 2, 3, 4, 5]) expectFaithfulPolygons(blobMask(48, 64, seed), 48, 64, tolerance);
  });

  it('reduces a large disc to far fewer vertices than its pixel outline', () => {
    const mask = maskFrom(100, 100, (x, y) => (x + 0.5 - 50) ** 2 + (y + 0.5 - 50) ** 2 <= 40 ** 2);
    const [exact] = maskToPolygons(mask, 100, 100, { tolerance: 0 });
    const [simplified] = maskToPolygons(mask, 100, 100, { tolerance: 1 });
    expect(simplified.length).toBeLessThan(exact.length / 3);
  });

  it('drops polygons below minArea and keeps those at or above it', () => {
    const mask = maskFrom(10, 10, (x, y) => (x === 0 && y === 0) || (x >= 4 && x < 7 && y >= 4 && y < 7));
    expect(maskToPolygons(mask, 10, 10, { tolerance: 0 })).toHaveLength(2);
    expect(maskToPolygons(mask, 10, 10, { tolerance: 0, minArea: 2 })).toEqual([[4, 4, 7, 4, 7, 7, 4, 7]]);
    expect(maskToPolygons(mask, 10, 10, { tolerance: 0, minArea: 9 })).toHaveLength(1);
    expect(maskToPolygons(mask, 10, 10, { tolerance: 0, minArea: 9.5 })).toEqual([]);
  });

  it('rejects negative or non-finite options and malformed masks', () => {
    expect(() => maskToPolygons(new Uint8Array(4), 2, 2, { tolerance: -1 })).toThrow(/tolerance/);
    expect(() => maskToPolygons(new Uint8Array(4), 2, 2, { minArea: Number.NaN })).toThrow(/minArea/);
    expect(() => maskToPolygons(new Uint8Array(5), 2, 2)).toThrow(/5 values/);
  });
});
