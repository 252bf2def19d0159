/** Something with pixels and a size the result is drawn over: the user's image, or nothing (blank). */
export interface BaseImage {
  source: CanvasImageSource | undefined;
  width: number;
  height: number;
}

/** Sizes the canvas to the image (so canvas pixels are image pixels) and draws the image, or a neutral grey. */
export function drawBase(canvas: HTMLCanvasElement, base: BaseImage): CanvasRenderingContext2D {
  canvas.width = base.width;
  canvas.height = base.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('this browser gives no 2D canvas');
  ctx.imageSmoothingEnabled = true;
  if (base.source) ctx.drawImage(base.source, 0, 0, base.width, base.height);
  else {
    ctx.fillStyle = '#808080';
    ctx.fillRect(0, 0, base.width, base.height);
  }
  return ctx;
}

/** Draws RGBA pixels of a small grid (e.g. 14×14 patches) scaled up to the whole canvas, without smoothing. */
export function drawGridImage(canvas: HTMLCanvasElement, rgba: Uint8ClampedArray, cols: number, rows: number): void {
  const grid = document.createElement('canvas');
  grid.width = cols;
  grid.height = rows;
  grid.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(rgba), cols, rows), 0, 0);
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(grid, 0, 0, canvas.width, canvas.height);
}
