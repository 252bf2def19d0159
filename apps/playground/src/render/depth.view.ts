import type { DepthMetadata } from '../api/client.types.js';
import type { DepthLevels } from '../decode/depth-png.decoder.js';
import { turbo, turboImage } from '../math/turbo.colormap.js';

/** The depth map through Turbo at its own resolution (Focal returns it at the original image size). */
export function drawDepth(canvas: HTMLCanvasElement, depth: DepthLevels): void {
  canvas.width = depth.width;
  canvas.height = depth.height;
  const rgba = turboImage(depth.levels, 0, 65535);
  canvas.getContext('2d')!.putImageData(new ImageData(rgba, depth.width, depth.height), 0, 0);
}

/** A Turbo bar from `low` to `high`, with a note on what the values are. */
export function renderTurboLegend(container: HTMLElement, low: string, high: string, note: string): void {
  const bar = document.createElement('canvas');
  bar.width = 256;
  bar.height = 1;
  const rgba = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) rgba.set([...turbo(i / 255), 255], i * 4);
  bar.getContext('2d')!.putImageData(new ImageData(rgba, 256, 1), 0, 0);
  bar.className = 'legend-bar';
  const label = (text: string, testId: string) => {
    const span = document.createElement('span');
    span.textContent = text;
    span.dataset.testid = testId;
    return span;
  };
  container.replaceChildren(label(low, 'legend-min'), bar, label(high, 'legend-max'), label(note, 'legend-note'));
}

/** The depth legend: the raw values the PNG's 0 and 65535 stand for. */
export function renderDepthLegend(container: HTMLElement, metadata: DepthMetadata): void {
  const kind = metadata.kind === 'depth' ? 'depth' : 'relative inverse depth (near is high)';
  renderTurboLegend(container, `min ${metadata.min.toPrecision(4)}`, `max ${metadata.max.toPrecision(4)}`, kind);
}
