/**
 * Input checks shared by the mask encoders. Masks are row-major H×W `Uint8Array`s holding only 0 and 1;
 * anything else is rejected rather than guessed at, because a 255-valued mask would otherwise produce
 * silently wrong run-lengths (pycocotools compares raw byte values).
 */
export function assertImageSize(height: number, width: number): void {
  if (!isPositiveInteger(height) || !isPositiveInteger(width)) {
    throw new RangeError(`Image size must be positive integers, got height=${height}, width=${width}`);
  }
}

export function assertBinaryMask(mask: Uint8Array, height: number, width: number): void {
  assertImageSize(height, width);
  if (mask.length !== height * width) {
    throw new RangeError(`Mask has ${mask.length} values but height×width is ${height}×${width}=${height * width}`);
  }
  const bad = mask.findIndex((v) => v > 1);
  if (bad >= 0) {
    throw new RangeError(`Mask must hold only 0 and 1; found ${mask[bad]} at index ${bad}`);
  }
}

function isPositiveInteger(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0;
}
