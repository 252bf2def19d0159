import { ByteView } from './byte.view.js';
import type { ImageSize } from './image-size.js';

const IMAGE_WIDTH = 256;
const IMAGE_LENGTH = 257;
const SHORT = 3;
const LONG = 4;
const LONG8 = 16;

/** Classic TIFF (magic 42) and BigTIFF (magic 43) lay out the first IFD differently. */
const LAYOUTS = {
  42: { firstIfd: (v: ByteView, le: boolean) => v.u32(4, le), countSize: 2, entrySize: 12, valueAt: 8 },
  43: { firstIfd: (v: ByteView, le: boolean) => v.u64(8, le), countSize: 8, entrySize: 20, valueAt: 12 },
} as const;

/**
 * TIFF: ImageWidth (256) and ImageLength (257) from the first IFD, the page libvips loads.
 * Both byte orders; values are SHORT, LONG or (BigTIFF) LONG8, stored inline.
 */
export function readTiffSize(bytes: Uint8Array): ImageSize {
  const view = new ByteView(bytes, 'tiff');
  const littleEndian = view.u8(0) === 0x49;
  const layout = LAYOUTS[view.u16(2, littleEndian) as 42 | 43];
  if (!layout) return view.fail('unknown TIFF version');
  const ifd = layout.firstIfd(view, littleEndian);
  const count = layout.countSize === 2 ? view.u16(ifd, littleEndian) : view.u64(ifd, littleEndian);
  const found = new Map<number, number>();
  for (let i = 0; i < count && found.size < 2; i++) {
    const entry = ifd + layout.countSize + i * layout.entrySize;
    const tag = view.u16(entry, littleEndian);
    if (tag !== IMAGE_WIDTH && tag !== IMAGE_LENGTH) continue;
    const type = view.u16(entry + 2, littleEndian);
    const at = entry + layout.valueAt;
    if (type === SHORT) found.set(tag, view.u16(at, littleEndian));
    else if (type === LONG) found.set(tag, view.u32(at, littleEndian));
    else if (type === LONG8) found.set(tag, view.u64(at, littleEndian));
    else view.fail(`tag ${tag} has type ${type}`);
  }
  const width = found.get(IMAGE_WIDTH);
  const height = found.get(IMAGE_LENGTH);
  if (width === undefined || height === undefined) return view.fail('the first IFD has no ImageWidth/ImageLength');
  return { width, height };
}
