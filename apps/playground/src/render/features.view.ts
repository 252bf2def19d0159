import { cosineSimilarity } from '../math/cosine.similarity.js';
import { pcaToRgb } from '../math/pca.power-iteration.js';
import { PatchGrid } from '../math/patch.grid.js';
import { turbo } from '../math/turbo.colormap.js';
import { drawGridImage } from './canvas.base.js';

function opaque(rgb: Uint8ClampedArray): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray((rgb.length / 3) * 4);
  for (let i = 0; i < rgb.length / 3; i++) rgba.set([rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2], 255], i * 4);
  return rgba;
}

/** The first three principal components of the patch tokens as RGB, one cell per patch. */
export function drawPatchPca(canvas: HTMLCanvasElement, grid: PatchGrid): void {
  drawGridImage(canvas, opaque(pcaToRgb(grid.tokens)), grid.cols, grid.rows);
}

/** Cosine similarity of every patch to patch `index`, through Turbo over the fixed range [−1, 1]. */
export function drawPatchSimilarity(canvas: HTMLCanvasElement, grid: PatchGrid, index: number): Float64Array {
  const similarity = Float64Array.from(grid.tokens, (token) => cosineSimilarity(grid.tokens[index], token));
  const rgba = new Uint8ClampedArray(similarity.length * 4);
  similarity.forEach((s, i) => rgba.set([...turbo((s + 1) / 2), 255], i * 4));
  drawGridImage(canvas, rgba, grid.cols, grid.rows);
  return similarity;
}
