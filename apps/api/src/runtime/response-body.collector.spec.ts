import { ResponseBodyCollector } from './response-body.collector.js';

const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256));

describe('ResponseBodyCollector', () => {
  const parts = [bytes(7, 1), bytes(65_536, 2), bytes(3, 3)];
  const whole = Buffer.concat(parts);

  it('copies the chunks into one buffer of the announced length, sharing no memory with them', () => {
    const collector = new ResponseBodyCollector(String(whole.length));
    for (const part of parts) collector.add(part);
    const body = collector.result();
    expect(body.equals(whole)).toBe(true);
    expect(parts.some((part) => part.buffer === body.buffer)).toBe(false);
  });

  it('concatenates the chunks when no length is announced', () => {
    const collector = new ResponseBodyCollector(undefined);
    for (const part of parts) collector.add(part);
    expect(collector.result().equals(whole)).toBe(true);
  });

  it('keeps every byte of a body shorter or longer than announced', () => {
    const shorter = new ResponseBodyCollector(String(whole.length + 10));
    for (const part of parts) shorter.add(part);
    expect(shorter.result().equals(whole)).toBe(true);
    const longer = new ResponseBodyCollector('8');
    for (const part of parts) longer.add(part);
    expect(longer.result().equals(whole)).toBe(true);
  });

  it('gives an empty body for no chunks, with or without a length', () => {
    expect(new ResponseBodyCollector('0').result().length).toBe(0);
    expect(new ResponseBodyCollector(undefined).result().length).toBe(0);
  });
});
