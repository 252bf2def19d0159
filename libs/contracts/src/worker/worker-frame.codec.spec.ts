import { FrameFormatError, decodeFrame, encodeFrame, frameLength } from './worker-frame.codec.js';
import { BytesValue, TensorValue } from './wire-values.js';

const concat = (chunks: Buffer[]) => Buffer.concat(chunks);

describe('worker frame codec', () => {
  const payload = () => ({
    results: [{ label: 'cat', score: 0.5, box: [1, 2, 3, 4] }],
    features: { last_hidden_state: new TensorValue(Float32Array.from([1.5, -2, 3.25, 0, 5, 6]), [1, 2, 3]) },
    mask: new TensorValue(Uint8Array.from([0, 1, 1, 0, 1]), [1, 5]),
    png: new BytesValue(Uint8Array.from([137, 80, 78, 71, 1, 2, 3])),
    nested: [[new BytesValue(new Uint8Array(0))]],
    empty: null,
  });

  it('gives back the same plain values, tensors and bytes', () => {
    const decoded = decodeFrame(concat(encodeFrame(payload()))) as ReturnType<typeof payload>;
    expect(decoded.results).toEqual([{ label: 'cat', score: 0.5, box: [1, 2, 3, 4] }]);
    const hidden = decoded.features.last_hidden_state;
    expect(hidden).toBeInstanceOf(TensorValue);
    expect(hidden.dtype).toBe('float32');
    expect(hidden.shape).toEqual([1, 2, 3]);
    expect(Array.from(hidden.data)).toEqual([1.5, -2, 3.25, 0, 5, 6]);
    expect(decoded.mask.dtype).toBe('uint8');
    expect(Array.from(decoded.mask.data)).toEqual([0, 1, 1, 0, 1]);
    expect(Array.from(decoded.png.data)).toEqual([137, 80, 78, 71, 1, 2, 3]);
    expect((decoded.nested[0][0] as BytesValue).data.length).toBe(0);
    expect(decoded.empty).toBeNull();
  });

  it('lays out the bytes as documented: magic, header length, JSON header, 8-aligned little-endian sections', () => {
    const frame = concat(encodeFrame({ t: new TensorValue(Float32Array.from([1, 2]), [2]) }));
    expect(frame.subarray(0, 4).toString('latin1')).toBe('FCL1');
    const headerLength = frame.readUInt32LE(4);
    const header = JSON.parse(frame.toString('utf8', 8, 8 + headerLength));
    expect(header.value).toEqual({ t: { $section: 0 } });
    expect(header.sections).toEqual([{ kind: 'float32', offset: 0, byteLength: 8, shape: [2] }]);
    const dataStart = Math.ceil((8 + headerLength) / 8) * 8;
    expect(frame.readFloatLE(dataStart)).toBe(1);
    expect(frame.readFloatLE(dataStart + 4)).toBe(2);
    expect(frame.length).toBe(dataStart + 8);
  });

  it('does not copy section data when encoding, and frameLength adds up the chunks', () => {
    const data = Float32Array.from([7, 8, 9]);
    const chunks = encodeFrame({ t: new TensorValue(data, [3]) });
    expect(chunks.some((chunk) => chunk.buffer === data.buffer)).toBe(true);
    expect(frameLength(chunks)).toBe(concat(chunks).length);
  });

  it('decodes a frame that sits at an odd offset of a larger buffer', () => {
    const frame = concat(encodeFrame({ t: new TensorValue(Float32Array.from([0.25, 4]), [1, 2]) }));
    const shifted = Buffer.concat([Buffer.from([9]), frame]).subarray(1);
    const decoded = decodeFrame(shifted) as { t: TensorValue };
    expect(Array.from(decoded.t.data)).toEqual([0.25, 4]);
  });

  it('refuses malformed frames with FrameFormatError', () => {
    const good = concat(encodeFrame({ t: new TensorValue(Float32Array.from([1, 2]), [2]) }));
    expect(() => decodeFrame(Buffer.from('{"images": []}'))).toThrow(FrameFormatError);
    expect(() => decodeFrame(good.subarray(0, good.length - 4))).toThrow(/runs past the end/);
    const longHeader = Buffer.from(good);
    longHeader.writeUInt32LE(1 << 30, 4);
    expect(() => decodeFrame(longHeader)).toThrow(/header runs past the end/);
    const badShape = concat(encodeFrame({ t: new TensorValue(Float32Array.from([1, 2]), [2]) }));
    const at = badShape.indexOf('"shape":[2]');
    badShape.write('"shape":[3]', at);
    expect(() => decodeFrame(badShape)).toThrow(FrameFormatError);
  });
});
