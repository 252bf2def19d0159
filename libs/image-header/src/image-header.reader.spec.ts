import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MalformedImageError, NotRasterImageError } from './image-header.errors.js';
import { readImageHeader } from './image-header.reader.js';

const FIXTURES = join(process.cwd(), 'libs/image-header/fixtures');
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
const be32 = (n: number): number[] => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const be16 = (n: number): number[] => [n >>> 8, n & 0xff];
const le16 = (n: number): number[] => [n & 0xff, n >>> 8];
const le24 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, n >>> 16];
const le32 = (n: number): number[] => [...le16(n & 0xffff), ...le16(n >>> 16)];
const bytes = (...parts: number[][]): Uint8Array => new Uint8Array(parts.flat());

/** An ISOBMFF box: size, type, payload. */
const box = (type: string, ...payload: number[][]): number[] => {
  const body = payload.flat();
  return [...be32(8 + body.length), ...ascii(type), ...body];
};
const FULL_BOX = [0, 0, 0, 0];
const ispe = (width: number, height: number): number[] => box('ispe', FULL_BOX, be32(width), be32(height));
const heif = (brand: string, ...sizes: [number, number][]): Uint8Array =>
  bytes(
    box('ftyp', ascii(brand), be32(0), ascii('mif1')),
    box(
      'meta',
      FULL_BOX,
      box('hdlr', FULL_BOX, be32(0), ascii('pict')),
      box('iprp', box('ipco', ...sizes.map(([w, h]) => ispe(w, h)))),
    ),
  );

const png = (width: number, height: number): Uint8Array =>
  bytes(
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    be32(13),
    ascii('IHDR'),
    be32(width),
    be32(height),
    [8, 2, 0, 0, 0],
    be32(0),
  );

/** SOI, an APP0 segment, a DQT, then SOFn with the size. */
const jpeg = (sof: number, width: number, height: number): Uint8Array =>
  bytes(
    [0xff, 0xd8],
    [0xff, 0xe0],
    be16(16),
    ascii('JFIF\0'),
    [1, 1, 0],
    be16(1),
    be16(1),
    [0, 0],
    [0xff, 0xff, 0xdb],
    be16(4),
    [0, 0], // a fill byte before the marker
    [0xff, sof],
    be16(11),
    [8],
    be16(height),
    be16(width),
    [1, 1, 0x11, 0],
  );

const tiffBigEndian = (width: number, height: number): Uint8Array =>
  bytes(
    ascii('MM'),
    be16(42),
    be32(8),
    be16(3),
    [...be16(256), ...be16(3), ...be32(1), ...be16(width), 0, 0],
    [...be16(257), ...be16(4), ...be32(1), ...be32(height)],
    [...be16(259), ...be16(3), ...be32(1), ...be16(1), 0, 0],
    be32(0),
  );

const riff = (chunk: number[]): Uint8Array => bytes(ascii('RIFF'), le32(4 + chunk.length), ascii('WEBP'), chunk);

describe('readImageHeader on real files written by an encoder', () => {
  it.each([
    ['rgb-7x5.png', 'png'],
    ['baseline-7x5.jpg', 'jpeg'],
    ['progressive-exif-7x5.jpg', 'jpeg'],
    ['lossy-7x5.webp', 'webp'],
    ['lossless-7x5.webp', 'webp'],
    ['alpha-7x5.webp', 'webp'],
    ['palette-7x5.gif', 'gif'],
    ['little-endian-7x5.tif', 'tiff'],
    ['bigtiff-7x5.tif', 'tiff'],
    ['still-7x5.avif', 'avif'],
  ])('%s is %s, 7 wide and 5 high (as stored, before EXIF rotation)', (name, kind) => {
    expect(readImageHeader(fixture(name))).toEqual({ kind, width: 7, height: 5 });
  });
});

describe('readImageHeader on hand-built headers', () => {
  it.each<[string, Uint8Array, string, number, number]>([
    ['a PNG claiming 100000×100000', png(100_000, 100_000), 'png', 100_000, 100_000],
    ['a PNG claiming 2^32−1 × 3', png(0xffffffff, 3), 'png', 0xffffffff, 3],
    ['a baseline JPEG (SOF0) after APP0, DQT and a fill byte', jpeg(0xc0, 640, 480), 'jpeg', 640, 480],
    ['a progressive JPEG (SOF2) at 65535×65535', jpeg(0xc2, 65_535, 65_535), 'jpeg', 65_535, 65_535],
    ['an arithmetic JPEG (SOF9)', jpeg(0xc9, 3, 2), 'jpeg', 3, 2],
    ['a GIF89a logical screen', bytes(ascii('GIF89a'), le16(300), le16(200), [0, 0, 0]), 'gif', 300, 200],
    [
      'a lossy WebP (VP8)',
      riff([...ascii('VP8 '), ...le32(10), 0, 0, 0, 0x9d, 0x01, 0x2a, ...le16(0x4000 | 16_383), ...le16(9)]),
      'webp',
      16_383,
      9,
    ],
    [
      'a lossless WebP (VP8L)',
      riff([...ascii('VP8L'), ...le32(5), 0x2f, ...le32((16_383 << 14) | 99)]),
      'webp',
      100,
      16_384,
    ],
    [
      'an extended WebP (VP8X) at the 24-bit maximum',
      riff([...ascii('VP8X'), ...le32(10), 0x10, 0, 0, 0, ...le24(0xffffff), ...le24(1)]),
      'webp',
      16_777_216,
      2,
    ],
    ['a big-endian TIFF (SHORT width, LONG height)', tiffBigEndian(1200, 70_000), 'tiff', 1200, 70_000],
    [
      'an AVIF whose largest ispe is the primary image',
      heif('avif', [64, 48], [100_000, 100_000]),
      'avif',
      100_000,
      100_000,
    ],
    ['a HEIC (HEIF brand)', heif('heic', [4032, 3024]), 'heif', 4032, 3024],
  ])('%s', (_name, input, kind, width, height) => {
    expect(readImageHeader(input)).toEqual({ kind, width, height });
  });
});

describe('readImageHeader refuses what is not a raster image, naming the kind', () => {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  it.each<[string, Uint8Array, string]>([
    ['SVG', text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'), 'svg'],
    [
      'SVG after a BOM, an XML prolog and a comment',
      text('\uFEFF  <?xml version="1.0"?>\n<!-- x --><svg viewBox="0 0 1 1"></svg>'),
      'svg',
    ],
    ['PDF', text('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'pdf'],
    ['PostScript', text('%!PS-Adobe-3.0 EPSF-3.0'), 'postscript'],
    ['HTML', text('<!DOCTYPE html><html><body>hi</body></html>'), 'html'],
    ['XML', text('<?xml version="1.0"?><note/>'), 'xml'],
    ['BMP', bytes(ascii('BM'), le32(70), [0, 0, 0, 0]), 'bmp'],
    ['gzip (e.g. SVGZ)', bytes([0x1f, 0x8b, 8, 0]), 'gzip'],
    ['an MP4 video', bytes(box('ftyp', ascii('isom'), be32(0), ascii('mp41'))), 'isobmff-video'],
    ['JPEG XL', bytes([0xff, 0x0a, 0xfa, 0x7f]), 'jpeg-xl'],
    ['plain text', text('hello, not an image'), 'unknown'],
    ['no bytes at all', new Uint8Array(0), 'unknown'],
  ])('%s', (_name, input, kind) => {
    const error = catchError(() => readImageHeader(input));
    expect(error).toBeInstanceOf(NotRasterImageError);
    expect((error as NotRasterImageError).kind).toBe(kind);
  });
});

describe('readImageHeader refuses truncated and inconsistent headers', () => {
  it.each<[string, Uint8Array, string]>([
    ['a PNG cut inside IHDR', fixture('rgb-7x5.png').subarray(0, 20), 'png'],
    [
      'a PNG whose first chunk is not IHDR',
      bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], be32(13), ascii('IDAT'), be32(1), be32(1)),
      'png',
    ],
    ['a JPEG cut before its frame header', fixture('baseline-7x5.jpg').subarray(0, 40), 'jpeg'],
    ['a JPEG with a scan before any frame', bytes([0xff, 0xd8, 0xff, 0xda], be16(2)), 'jpeg'],
    ['a JPEG whose height waits for a DNL marker', jpeg(0xc0, 10, 0), 'jpeg'],
    [
      'a JPEG with garbage where a marker belongs',
      bytes([0xff, 0xd8, 0xff, 0xe0], be16(4), [0, 0, 0x12, 0x34]),
      'jpeg',
    ],
    ['a GIF cut inside its screen size', fixture('palette-7x5.gif').subarray(0, 9), 'gif'],
    ['a WebP cut before its size', fixture('lossy-7x5.webp').subarray(0, 24), 'webp'],
    ['a WebP with an unknown chunk', riff([...ascii('ABCD'), ...le32(0)]), 'webp'],
    ['a TIFF whose IFD points past the end', bytes(ascii('II'), le16(42), le32(4096)), 'tiff'],
    ['a TIFF with no ImageWidth', bytes(ascii('II'), le16(42), le32(8), le16(0), le32(0)), 'tiff'],
    ['an AVIF cut inside its meta box', fixture('still-7x5.avif').subarray(0, 60), 'avif'],
    ['an AVIF with no ispe', heif('avif'), 'avif'],
  ])('%s', (_name, input, kind) => {
    const error = catchError(() => readImageHeader(input));
    expect(error).toBeInstanceOf(MalformedImageError);
    expect((error as MalformedImageError).kind).toBe(kind);
  });

  it('throws only its own errors on 5,000 random mutations and cuts of the fixtures (no RangeError, no hang)', () => {
    const names = [
      'rgb-7x5.png',
      'baseline-7x5.jpg',
      'lossy-7x5.webp',
      'alpha-7x5.webp',
      'palette-7x5.gif',
      'little-endian-7x5.tif',
      'bigtiff-7x5.tif',
      'still-7x5.avif',
    ];
    const originals = names.map(fixture);
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const foreign: unknown[] = [];
    for (let trial = 0; trial < 5000; trial++) {
      const original = originals[trial % originals.length];
      const input = original.slice(0, 1 + random(original.length));
      for (let flips = random(4); flips > 0; flips--) input[random(input.length)] = random(256);
      try {
        readImageHeader(input);
      } catch (error) {
        if (!(error instanceof NotRasterImageError) && !(error instanceof MalformedImageError)) foreign.push(error);
      }
    }
    expect(foreign).toEqual([]);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
