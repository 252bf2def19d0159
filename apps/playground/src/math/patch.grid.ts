/**
 * DINOv3's token layout (libs/vision DINOv3 processor, default manifest): last_hidden_state[b] is
 * [CLS, register_1..register_R, patch tokens row-major]. The public ViT-S/16 export has R = 4 and a 224×224
 * input, so 14×14 patches.
 */
export interface PatchGrid {
  rows: number;
  cols: number;
  /** Patch tokens only, row-major (CLS and registers left out). */
  tokens: number[][];
}

/**
 * Splits the tokens of one image. The grid is the factorisation rows × cols of the patch count closest to
 * the aspect ratio of the model input (square by default).
 */
export function patchGrid(tokens: readonly number[][], registerTokens: number, aspect = 1): PatchGrid {
  const patches = tokens.slice(1 + registerTokens);
  const n = patches.length;
  if (n === 0) throw new RangeError(`no patch tokens after CLS and ${registerTokens} register tokens`);
  let best = { rows: 1, cols: n };
  for (let rows = 1; rows <= n; rows++) {
    if (n % rows !== 0) continue;
    const cols = n / rows;
    const error = Math.abs(Math.log(cols / rows / aspect));
    if (error < Math.abs(Math.log(best.cols / best.rows / aspect))) best = { rows, cols };
  }
  return { ...best, tokens: patches };
}

/** The patch under a point given in fractions of the drawn map's width and height. */
export function patchAt(grid: { rows: number; cols: number }, fx: number, fy: number): number {
  const col = Math.min(grid.cols - 1, Math.max(0, Math.floor(fx * grid.cols)));
  const row = Math.min(grid.rows - 1, Math.max(0, Math.floor(fy * grid.rows)));
  return row * grid.cols + col;
}
