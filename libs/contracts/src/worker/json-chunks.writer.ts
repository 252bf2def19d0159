import { BytesValue, TensorData, TensorValue } from './wire-values.js';

/** Flush size of the writer: big enough to amortise a write, small enough to keep memory flat. */
const CHUNK_CHARS = 64 * 1024;

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
    out.push(`"${value.toBase64()}"`);
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Nested lists, each innermost row written by JSON.stringify of its numbers (NaN/±∞ → null, as for any
 * double). Not String(value) per number: V8 allocates the strings of number → string conversions in the old
 * generation (they go into its number-string cache), so a 1.5 MB feature map left ~20 MB of old-space garbage
 * per response and drove the API's peak RSS at concurrency 8. JSON.stringify prints the digits straight into
 * its own buffer: one young string per row. The row's numbers go through one plain array, reused.
 */
function* writeTensor(data: TensorData, shape: readonly number[], out: ChunkBuffer): Generator<string> {
  if (shape.length === 0) {
    out.push(JSON.stringify(data[0]));
    return;
  }
  const row = shape[shape.length - 1];
  const rows = row === 0 ? 0 : data.length / row;
  const outer = shape.slice(0, -1);
  // Rows spanned by one element of each outer axis (the last is the row itself, 1): a list opens before
  // row r for each axis whose span divides r, and closes after it for each whose span divides r + 1.
  // The row's own brackets (always the innermost pair) come with its JSON text.
  const strides = outer.map((_, axis) => outer.slice(axis + 1).reduce((n, d) => n * d, 1));
  if (rows === 0) {
    out.push(JSON.stringify(new TensorValue(data, shape).toJSON()));
    return;
  }
  const values = Array.from(data.subarray(0, row));
  for (let r = 0; r < rows; r++) {
    const opening = strides.filter((stride) => r % stride === 0).length + (r === 0 ? 1 : 0);
    out.push(`${r === 0 ? '' : ','}${'['.repeat(opening - 1)}`);
    const start = r * row;
    for (let i = 0; i < row; i++) values[i] = data[start + i];
    out.push(JSON.stringify(values));
    const closing = strides.filter((stride) => (r + 1) % stride === 0).length + (r === rows - 1 ? 1 : 0);
    out.push(']'.repeat(closing - 1));
    if (out.full) yield out.take();
  }
}
