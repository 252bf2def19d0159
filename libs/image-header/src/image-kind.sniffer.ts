import { ByteView } from './byte.view.js';
import type { ImageKind } from './image-kind.js';

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** Leading-byte signatures, checked in order. */
const SIGNATURES: ReadonlyArray<{ kind: ImageKind; bytes: number[]; offset?: number }> = [
  { kind: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { kind: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
  { kind: 'gif', bytes: ascii('GIF87a') },
  { kind: 'gif', bytes: ascii('GIF89a') },
  { kind: 'tiff', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { kind: 'tiff', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { kind: 'tiff', bytes: [0x49, 0x49, 0x2b, 0x00] }, // BigTIFF
  { kind: 'tiff', bytes: [0x4d, 0x4d, 0x00, 0x2b] },
  { kind: 'pdf', bytes: ascii('%PDF-') },
  { kind: 'postscript', bytes: ascii('%!PS') },
  { kind: 'postscript', bytes: [0xc5, 0xd0, 0xd3, 0xc6] }, // DOS EPS
  { kind: 'bmp', bytes: ascii('BM') },
  { kind: 'ico', bytes: [0x00, 0x00, 0x01, 0x00] },
  { kind: 'psd', bytes: ascii('8BPS') },
  { kind: 'jpeg2000', bytes: [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20] },
  { kind: 'jpeg2000', bytes: [0xff, 0x4f, 0xff, 0x51] },
  { kind: 'jpeg-xl', bytes: [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20] },
  { kind: 'jpeg-xl', bytes: [0xff, 0x0a] },
  { kind: 'gzip', bytes: [0x1f, 0x8b] }, // also .svgz
  { kind: 'zip', bytes: ascii('PK\x03\x04') },
];

const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);

/** An ISOBMFF file (`ftyp` at byte 4) is AVIF or HEIF by its brands; any other brand is a video container. */
function isobmffKind(view: ByteView): ImageKind | undefined {
  if (!view.has(4, 8) || view.ascii(4, 4) !== 'ftyp') return undefined;
  const boxEnd = Math.min(view.u32(0), view.length);
  const brands = [view.ascii(8, 4)];
  for (let offset = 16; offset + 4 <= boxEnd; offset += 4) brands.push(view.ascii(offset, 4));
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return 'avif';
  if (brands.some((brand) => HEIF_BRANDS.has(brand))) return 'heif';
  return 'isobmff-video';
}

/** Text that starts with `<` (after a BOM and blanks) is markup: SVG, HTML or other XML. */
function markupKind(bytes: Uint8Array): ImageKind | undefined {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096)).replace(/^\uFEFF/, '');
  const text = head.trimStart().toLowerCase();
  if (!text.startsWith('<')) return undefined;
  if (/<svg[\s>]/.test(text)) return 'svg';
  if (text.startsWith('<!doctype html') || /<(html|head|body)[\s>]/.test(text)) return 'html';
  return 'xml';
}

/** The format the leading bytes name. Only the first few KiB are read. */
export function sniffImageKind(bytes: Uint8Array): ImageKind {
  const view = new ByteView(bytes, 'unknown');
  const signature = SIGNATURES.find(({ bytes: sig, offset }) => view.startsWith(sig, offset ?? 0));
  if (signature) return signature.kind;
  if (view.startsWith(ascii('RIFF')) && view.has(8, 4) && view.ascii(8, 4) === 'WEBP') return 'webp';
  return isobmffKind(view) ?? markupKind(bytes) ?? 'unknown';
}
