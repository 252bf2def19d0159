import type { Sam3Detection } from '../api/client.types.js';
import { decodeSam3Mask } from '../decode/sam3-mask.decoder.js';
import { BaseImage, drawBase } from './canvas.base.js';
import { blendMasks } from './mask.overlay.js';
import { promptColour } from './prompt.colours.js';

export interface Sam3Instance {
  detection: Sam3Detection;
  mask: Uint8Array;
  colour: [number, number, number];
  visible: boolean;
}

export const MASK_ALPHA = 0.5;

export function sam3Instances(detections: readonly Sam3Detection[], base: BaseImage): Sam3Instance[] {
  return detections.map((detection) => ({
    detection,
    mask: decodeSam3Mask(detection.mask, base.height, base.width),
    colour: promptColour(detection.prompt),
    visible: true,
  }));
}

/** The image with every visible instance's mask tinted in its prompt's colour (no boxes: they would hide pixels). */
export function drawSam3(canvas: HTMLCanvasElement, base: BaseImage, instances: readonly Sam3Instance[]): void {
  const ctx = drawBase(canvas, base);
  const pixels = ctx.getImageData(0, 0, base.width, base.height);
  blendMasks(
    pixels.data,
    instances.filter((i) => i.visible),
    MASK_ALPHA,
  );
  ctx.putImageData(pixels, 0, 0);
}
