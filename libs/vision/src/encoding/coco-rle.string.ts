/**
 * The compressed counts string of pycocotools (`rleToString` / `rleFrString` in `common/maskApi.c`).
 * From index 3 on, each count is stored as the difference from the count two places earlier (runs of the
 * same value), and every value is written as signed 5-bit groups, least significant first: bit 0x20 says
 * "more groups follow", bit 0x10 of the last group is the sign. Each group is offset by 48, so characters
 * fall in '0'..'o' (48..111).
 *
 * Arithmetic uses division instead of JS bitwise operators, which would truncate to 32 bits: counts of
 * images larger than 2^31 pixels must survive.
 */
const CHAR_OFFSET = 48;
const MAX_CHAR = CHAR_OFFSET + 0x3f;
/** 11 groups × 5 bits = 55 bits, enough for any safe integer; longer values are malformed. */
const MAX_GROUPS = 11;

export function cocoCountsToString(counts: readonly number[]): string {
  let out = '';
  counts.forEach((count, i) => {
    out += encodeSigned(i > 2 ? count - counts[i - 2] : count);
  });
  return out;
}

export function cocoCountsFromString(text: string): number[] {
  const counts: number[] = [];
  let position = 0;
  while (position < text.length) {
    const { value, next } = decodeSigned(text, position);
    const m = counts.length;
    counts.push(m > 2 ? value + counts[m - 2] : value);
    position = next;
  }
  return counts;
}

function encodeSigned(value: number): string {
  let x = value;
  let out = '';
  for (;;) {
    let c = mod32(x);
    x = Math.floor(x / 32);
    const more = c & 0x10 ? x !== -1 : x !== 0;
    if (more) c |= 0x20;
    out += String.fromCharCode(c + CHAR_OFFSET);
    if (!more) return out;
  }
}

function decodeSigned(text: string, start: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let p = start; p < text.length && p - start < MAX_GROUPS; p++) {
    const c = groupAt(text, p);
    value += (c & 0x1f) * scale;
    scale *= 32;
    if (!(c & 0x20)) return { value: c & 0x10 ? value - scale : value, next: p + 1 };
  }
  throw new SyntaxError(`COCO RLE counts string is truncated or has an over-long value at position ${start}`);
}

function groupAt(text: string, p: number): number {
  const code = text.charCodeAt(p);
  if (code < CHAR_OFFSET || code > MAX_CHAR) {
    throw new SyntaxError(`COCO RLE counts string has invalid character ${JSON.stringify(text[p])} at position ${p}`);
  }
  return code - CHAR_OFFSET;
}

function mod32(x: number): number {
  return ((x % 32) + 32) % 32;
}
