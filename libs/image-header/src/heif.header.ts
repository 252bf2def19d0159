import { ByteView } from './byte.view.js';
import type { ImageSize } from './image-size.js';

interface Box {
  type: string;
  /** First byte of the payload (after size, type and any 64-bit size). */
  start: number;
  end: number;
}

/** The boxes between `start` and `end`, in order; a box running past `end` is malformed. */
function boxesIn(view: ByteView, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  let offset = start;
  while (offset + 8 <= end) {
    let size = view.u32(offset);
    const type = view.ascii(offset + 4, 4);
    let header = 8;
    if (size === 1) {
      size = view.u64(offset + 8);
      header = 16;
    } else if (size === 0) {
      size = end - offset;
    }
    if (size < header || offset + size > end) view.fail(`box "${type}" at byte ${offset} overruns its parent`);
    boxes.push({ type, start: offset + header, end: offset + size });
    offset += size;
  }
  return boxes;
}

function child(view: ByteView, parent: Box, type: string, fullBox = false): Box {
  const found = boxesIn(view, parent.start + (fullBox ? 4 : 0), parent.end).find((box) => box.type === type);
  return found ?? view.fail(`no "${type}" box in "${parent.type}"`);
}

/**
 * AVIF/HEIF (ISOBMFF): the `ispe` properties in meta → iprp → ipco give each item's width and height.
 * The largest is taken, so neither a small thumbnail nor a tile can hide a huge primary image.
 */
export function readHeifSize(bytes: Uint8Array, kind: 'avif' | 'heif'): ImageSize {
  const view = new ByteView(bytes, kind);
  const file: Box = { type: 'file', start: 0, end: bytes.length };
  const meta = child(view, file, 'meta');
  const ipco = child(view, child(view, meta, 'iprp', true), 'ipco');
  const sizes = boxesIn(view, ipco.start, ipco.end)
    .filter((box) => box.type === 'ispe')
    .map((box) => ({ width: view.u32(box.start + 4), height: view.u32(box.start + 8) }));
  if (sizes.length === 0) view.fail('no "ispe" property gives the image size');
  return sizes.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
}
