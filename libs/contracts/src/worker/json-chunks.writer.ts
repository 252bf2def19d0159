import { writeFloat32Decimal } from './float32-decimal.js';
import { writeFloat32List } from './float32-list.writer.js';
import { BytesValue, TensorData, TensorValue } from './wire-values.js';

/** Flush size of the writer: big enough to amortise a write, small enough to keep memory flat. */
const CHUNK_CHARS = 64 * 1024;
/** Bytes whose base64 is one chunk: a multiple of 3, so the blocks' texts joined are the whole text. */
const BASE64_BLOCK_BYTES = (CHUNK_CHARS / 4) * 3;

/**
 * Writes a result as JSON text in chunks, straight from its typed arrays: the same text as
 * JSON.stringify(value) (which goes through TensorValue/BytesValue.toJSON), without ever building the nested
 * lists. Only plain data is expected besides the two wire values (no Maps, no cycles).
 */
export function* jsonChunks(value: unknown): Generator<string> {
  const out = new ChunkBuffer();
  yield* write(value, out);
  const rest = out.take();
  if (rest.length > 0) yield rest;
}

class ChunkBuffer {
  private text = '';
  push(part: string): void {
    this.text += part;
  }
  get full(): boolean {
    return this.text.length >= CHUNK_CHARS;
  }
  take(): string {
    const text = this.text;
    this.text = '';
    return text;
  }
}

function* write(value: unknown, out: ChunkBuffer): Generator<string> {
  if (value instanceof TensorValue) {
    yield* writeTensor(value.data, value.shape, out);
  } else if (value instanceof BytesValue) {
    yield* writeBase64(value, out);
  } else if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      const item = value[i];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') out.push('null');
      else yield* write(item, out);
      if (out.full) yield out.take();
    }
    out.push(']');
  } else if (isPlainObject(value)) {
    out.push('{');
    let first = true;
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      out.push(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      yield* write(item, out);
      if (out.full) yield out.take();
    }
    out.push('}');
  } else {
    out.push(JSON.stringify(value) ?? 'null');
  }
}

/**
 * Bytes as a JSON string of base64. Past one chunk the text is yielded as flat strings of CHUNK_CHARS, each
 * encoded from its own block of bytes, never as one large string joined to its quotes. In a loopback
 * micro-benchmark that one 400 KB string (a compact feature map) took about 2.5 times as long to send as the
 * same text in 64 KB strings; through the API the gain was API CPU (about 0.5 ms a call), not latency
 * (BENCHMARKS.md, the 18:05 reading).
 */
function* writeBase64(value: BytesValue, out: ChunkBuffer): Generator<string> {
  if (value.data.byteLength <= BASE64_BLOCK_BYTES) {
    out.push(`"${value.toBase64()}"`);
    return;
  }
  const { buffer, byteOffset, byteLength } = value.data;
  const bytes = Buffer.from(buffer, byteOffset, byteLength);
  out.push('"');
  yield out.take();
  for (let start = 0; start < bytes.length; start += BASE64_BLOCK_BYTES) {
    yield bytes.toString('base64', start, Math.min(start + BASE64_BLOCK_BYTES, bytes.length));
  }
  out.push('"');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Nested lists written as bytes straight from the typed array: float32 values as float32Decimal prints them (a
 * row at a time through the WebAssembly writer), uint8 values as integers, in chunks of about CHUNK_CHARS. Each
 * chunk becomes one young latin-1 string; no number → string conversion is made, since V8 keeps those strings in
 * its number-string cache in the old generation (a 1.5 MB feature map left ~20 MB of old-space garbage per
 * response that way).
 */
function* writeTensor(data: TensorData, shape: readonly number[], out: ChunkBuffer): Generator<string> {
  const row = shape.at(-1) ?? 1;
  const rows = row === 0 ? 0 : data.length / row;
  if (shape.length > 0 && rows === 0) {
    out.push(JSON.stringify(new TensorValue(data, shape).toJSON()));
    return;
  }
  // Room for one chunk plus the row that crosses its end, or for the whole text of a small tensor (each row
  // opens and closes at most every axis; a scalar is one row of one value).
  const whole = data.length * MAX_NUMBER_BYTES + Math.max(rows, 1) * (2 * shape.length + 1);
  const text = new AsciiBuffer(Math.min(CHUNK_CHARS, whole) + row * MAX_NUMBER_BYTES + 4 * shape.length + 16);
  const writeValue = data instanceof Float32Array ? text.float32 : text.uint8;
  if (shape.length === 0) {
    writeValue(data[0]);
    out.push(text.take());
    return;
  }
  const outer = shape.slice(0, -1);
  // Rows spanned by one element of each outer axis (the last is the row itself, 1): a list opens before
  // row r for each axis whose span divides r, and closes after it for each whose span divides r + 1.
  const strides = outer.map((_, axis) => outer.slice(axis + 1).reduce((n, d) => n * d, 1));
  for (let r = 0; r < rows; r++) {
    if (r > 0) text.byte(COMMA);
    const opening = strides.filter((stride) => r % stride === 0).length + (r === 0 ? 1 : 0);
    for (let i = 0; i < opening; i++) text.byte(OPEN);
    const start = r * row;
    if (data instanceof Float32Array) {
      text.float32List(data, start, row);
    } else {
      for (let i = 0; i < row; i++) {
        if (i > 0) text.byte(COMMA);
        writeValue(data[start + i]);
      }
    }
    const closing = strides.filter((stride) => (r + 1) % stride === 0).length + (r === rows - 1 ? 1 : 0);
    for (let i = 0; i < closing; i++) text.byte(CLOSE);
    if (text.length >= CHUNK_CHARS) {
      out.push(text.take());
      if (out.full) yield out.take();
    }
  }
  out.push(text.take());
}

/** The most bytes one value takes, with its comma (float32Decimal's longest text is 15). */
const MAX_NUMBER_BYTES = 24;
const COMMA = 44;
const OPEN = 91;
const CLOSE = 93;

/** A byte buffer of JSON text that is all ASCII, emptied into latin-1 strings. */
class AsciiBuffer {
  private readonly bytes: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  byte(code: number): void {
    this.bytes[this.length++] = code;
  }

  readonly float32 = (value: number): void => {
    this.length = writeFloat32Decimal(value, this.bytes, this.length);
  };

  /** A row of float32 values, comma-separated, through the WebAssembly writer (float32-list.writer.ts). */
  float32List(data: Float32Array, start: number, count: number): void {
    this.length = writeFloat32List(data, start, count, this.bytes, this.length);
  }

  readonly uint8 = (value: number): void => {
    if (value >= 100) this.bytes[this.length++] = 48 + Math.floor(value / 100);
    if (value >= 10) this.bytes[this.length++] = 48 + (Math.floor(value / 10) % 10);
    this.bytes[this.length++] = 48 + (value % 10);
  };

  take(): string {
    const text = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.length).toString('latin1');
    this.length = 0;
    return text;
  }
}
