import { ByteView } from './byte.view.js';
import type { ImageSize } from './image-size.js';

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic…); C4, C8 and CC are not frames. */
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
/** Markers that stand alone, with no length field. */
const STANDALONE = (marker: number): boolean =>
  marker === 0x01 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7);

/**
 * JPEG: walks the marker segments from SOI until the first SOFn, whose payload is
 * precision (1 byte), height and width (2 bytes each, big-endian). A scan or EOI before any frame is malformed.
 */
export function readJpegSize(bytes: Uint8Array): ImageSize {
  const view = new ByteView(bytes, 'jpeg');
  let offset = 2;
  for (;;) {
    if (view.u8(offset) !== 0xff) view.fail(`expected a marker at byte ${offset}`);
    while (view.u8(offset + 1) === 0xff) offset++; // fill bytes
    const marker = view.u8(offset + 1);
    if (STANDALONE(marker)) {
      offset += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) view.fail('no frame header before the image data');
    const length = view.u16(offset + 2);
    if (length < 2) view.fail(`segment at byte ${offset} has length ${length}`);
    if (SOF_MARKERS.has(marker)) {
      const height = view.u16(offset + 5);
      const width = view.u16(offset + 7);
      // Height 0 defers to a DNL marker after the first scan; nothing can be bounded from the header then.
      if (height === 0) view.fail('the frame height is deferred to a DNL marker');
      return { width, height };
    }
    offset += 2 + length;
  }
}
