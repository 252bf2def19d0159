import type { StreamableFile } from '@nestjs/common';
import { TensorValue } from '@focal/contracts';
import { jsonBody } from './json-body.interceptor.js';

async function chunksOf(file: StreamableFile): Promise<Array<string | Buffer>> {
  const chunks: Array<string | Buffer> = [];
  for await (const chunk of file.getStream()) chunks.push(chunk as string | Buffer);
  return chunks;
}

/** A [1, tokens, 384] feature map whose values print with many digits, as real features do. */
function featureMap(tokens: number): TensorValue {
  const data = Float32Array.from({ length: tokens * 384 }, (_, i) => Math.sin(i * 0.37) * 3.1);
  return new TensorValue(data, [1, tokens, 384]);
}

describe('jsonBody', () => {
  it('sends a small body whole, with its UTF-8 byte length', async () => {
    const value = { label: 'café ☕', scores: [0.5, 0.25] };
    const file = jsonBody(value);
    const text = Buffer.concat((await chunksOf(file)).map((chunk) => Buffer.from(chunk))).toString('utf8');
    expect(text).toBe(JSON.stringify(value));
    // Two characters of the label take more than one byte: the length is in bytes, not characters.
    expect(file.getHeaders().length).toBe(Buffer.byteLength(text));
    expect(file.getHeaders().length).toBeGreaterThan(text.length);
    expect(file.getHeaders().type).toBe('application/json; charset=utf-8');
  });

  it('streams a ViT-S/16 feature map (201 tokens × 384) as strings, without a length, the same text', async () => {
    const value = { features: { last_hidden_state: featureMap(201) } };
    const file = jsonBody(value);
    const chunks = await chunksOf(file);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.every((chunk) => typeof chunk === 'string')).toBe(true);
    expect(file.getHeaders().length).toBeUndefined();
    expect(chunks.join('')).toBe(JSON.stringify(value));
  });

  it('sends an empty object and a bare number whole', async () => {
    for (const value of [{}, 3]) {
      const file = jsonBody(value);
      expect(Buffer.concat((await chunksOf(file)) as Buffer[]).toString()).toBe(JSON.stringify(value));
      expect(file.getHeaders().length).toBe(JSON.stringify(value).length);
    }
  });
});
