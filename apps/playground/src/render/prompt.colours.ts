/**
 * A colour per prompt that depends only on the prompt's text (FNV-1a hash → hue), so "cat" is drawn in the
 * same colour in every run, whatever the other prompts are.
 */
export function promptColour(prompt: string): [number, number, number] {
  let hash = 0x811c9dc5;
  for (const char of prompt.trim().toLowerCase()) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hslToRgb((hash % 360) / 360, 0.85, 0.55);
}

/** HSL (each 0..1) to 0..255 RGB, the CSS formula. */
export function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + h * 12) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}

export const cssColour = ([r, g, b]: readonly number[], alpha = 1) => `rgba(${r}, ${g}, ${b}, ${alpha})`;
