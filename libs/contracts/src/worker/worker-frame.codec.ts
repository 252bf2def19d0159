import { BytesValue, TensorValue } from './wire-values.js';

/**
 * The binary frame between the API and a worker, both ways (request: images + params; response: the result).
 *
 *   bytes 0..3   "FCL1"
 *   bytes 4..7   header length H, uint32 little-endian
 *   bytes 8..    H bytes of UTF-8 JSON: { value, sections }
 *   then         zero padding to a multiple of 8, then each section's bytes, each padded to a multiple of 8
 *
 * `value` is the payload with every TensorValue / BytesValue replaced by {"$section": i}; sections[i] says what
 * section i holds. Numbers are little-endian (the byte order of every platform Node runs on; checked below).
 * Sections start at multiples of 8, so a decoder can view them in place as Float32Arrays.
 */
export const FRAME_CONTENT_TYPE = 'application/vnd.focal.frame';

const MAGIC = Buffer.from('FCL1', 'latin1');
const PREFIX_BYTES = 8;
const ALIGN = 8;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type SectionKind = 'float32' | 'uint8' | 'bytes';
interface SectionHeader {
  kind: SectionKind;
  offset: number;
  byteLength: number;
  shape?: number[];
}
interface FrameHeader {
  value: unknown;
  sections: SectionHeader[];
}

const padding = (length: number) => (ALIGN - (length % ALIGN)) % ALIGN;
const ZEROS = Buffer.alloc(ALIGN);

function assertLittleEndian(): void {
  if (!LITTLE_ENDIAN) throw new Error('the worker frame needs a little-endian platform');
}

function bytesOf(data: ArrayBufferView): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Encodes a payload as the frame's chunks, in order, without copying section data (write them with writev). */
export function encodeFrame(value: unknown): Buffer[] {
  assertLittleEndian();
  const sections: SectionHeader[] = [];
  const bodies: Buffer[] = [];
  let offset = 0;
  const add = (kind: SectionKind, data: ArrayBufferView, shape?: readonly number[]) => {
    sections.push({ kind, offset, byteLength: data.byteLength, ...(shape ? { shape: [...shape] } : {}) });
    bodies.push(bytesOf(data));
    offset += data.byteLength + padding(data.byteLength);
    return { $section: sections.length - 1 };
  };
  const wire = (v: unknown): unknown => {
    if (v instanceof TensorValue) return add(v.dtype, v.data, v.shape);
    if (v instanceof BytesValue) return add('bytes', v.data);
    if (Array.isArray(v)) return v.map(wire);
    if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, wire(item)]));
    }
    return v;
  };
  const header: FrameHeader = { value: wire(value), sections };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(json.length, 4);
  const chunks: Buffer[] = [prefix, json, ZEROS.subarray(0, padding(PREFIX_BYTES + json.length))];
  for (const body of bodies) chunks.push(body, ZEROS.subarray(0, padding(body.length)));
  return chunks.filter((chunk) => chunk.length > 0);
}

/** Total size of encoded chunks, for a Content-Length. */
export function frameLength(chunks: readonly Buffer[]): number {
  return chunks.reduce((n, chunk) => n + chunk.length, 0);
}

export class FrameFormatError extends Error {}

/**
 * Decodes a frame. Section data is viewed in place when aligned (the body must then outlive the result),
 * copied otherwise. Throws FrameFormatError on anything malformed, never reads out of bounds.
 */
export function decodeFrame(frame: Uint8Array): unknown {
  assertLittleEndian();
  const bytes = bytesOf(frame);
  if (bytes.length < PREFIX_BYTES || !bytes.subarray(0, 4).equals(MAGIC)) throw new FrameFormatError('not a frame');
  const headerLength = bytes.readUInt32LE(4);
  if (PREFIX_BYTES + headerLength > bytes.length) throw new FrameFormatError('frame header runs past the end');
  let header: FrameHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + headerLength)) as FrameHeader;
  } catch {
    throw new FrameFormatError('frame header is not JSON');
  }
  if (!Array.isArray(header?.sections)) throw new FrameFormatError('frame header has no sections');
  const dataStart = PREFIX_BYTES + headerLength + padding(PREFIX_BYTES + headerLength);
  const values = header.sections.map((section) => sectionValue(bytes, dataStart, section));
  return restore(header.value, values);
}

function sectionValue(bytes: Buffer, dataStart: number, section: SectionHeader): TensorValue | BytesValue {
  const { kind, offset, byteLength, shape } = section ?? {};
  const start = dataStart + offset;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(byteLength) || offset < 0 || byteLength < 0) {
    throw new FrameFormatError('frame section has a bad offset or length');
  }
  if (start + byteLength > bytes.length) throw new FrameFormatError('frame section runs past the end');
  const raw = bytes.subarray(start, start + byteLength);
  if (kind === 'bytes') return new BytesValue(raw);
  if (!Array.isArray(shape)) throw new FrameFormatError('frame tensor section has no shape');
  try {
    if (kind === 'uint8') return new TensorValue(raw, shape);
    if (kind !== 'float32' || byteLength % 4 !== 0) throw new FrameFormatError(`frame section kind ${kind}`);
    const aligned = raw.byteOffset % 4 === 0 ? raw : Buffer.from(raw);
    return new TensorValue(new Float32Array(aligned.buffer, aligned.byteOffset, byteLength / 4), shape);
  } catch (error) {
    if (error instanceof FrameFormatError) throw error;
    throw new FrameFormatError(`frame tensor section: ${(error as Error).message}`);
  }
}

function restore(value: unknown, sections: Array<TensorValue | BytesValue>): unknown {
  if (Array.isArray(value)) return value.map((item) => restore(item, sections));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0][0] === '$section') {
    const section = sections[entries[0][1] as number];
    if (!section) throw new FrameFormatError(`frame refers to a missing section ${String(entries[0][1])}`);
    return section;
  }
  return Object.fromEntries(entries.map(([k, item]) => [k, restore(item, sections)]));
}
