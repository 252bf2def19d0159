import type { DetectionBox } from '../api/client.types.js';
import { BaseImage, drawBase } from './canvas.base.js';
import { cssColour, promptColour } from './prompt.colours.js';

/** Line width in image pixels, so boxes read the same on small and large images. */
export function boxLineWidth(width: number, height: number): number {
  return Math.max(2, Math.round(Math.min(width, height) / 150));
}

/** The image with each box outlined in its label's colour and the label and score on a tag above it. */
export function drawBoxes(canvas: HTMLCanvasElement, base: BaseImage, boxes: readonly DetectionBox[]): void {
  const ctx = drawBase(canvas, base);
  const line = boxLineWidth(base.width, base.height);
  const fontSize = Math.max(12, line * 6);
  ctx.font = `${fontSize}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  for (const { label, score, box } of boxes) {
    const [x1, y1, x2, y2] = box;
    const colour = promptColour(label);
    ctx.lineWidth = line;
    ctx.strokeStyle = cssColour(colour);
    ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
    const text = `${label} ${score.toFixed(2)}`;
    const tagHeight = fontSize + 4;
    const tagY = y1 - tagHeight >= 0 ? y1 - tagHeight : y1;
    ctx.fillStyle = cssColour(colour);
    ctx.fillRect(x1 - line / 2, tagY, ctx.measureText(text).width + 8, tagHeight);
    ctx.fillStyle = '#000';
    ctx.fillText(text, x1 + 4, tagY + 2);
  }
}
