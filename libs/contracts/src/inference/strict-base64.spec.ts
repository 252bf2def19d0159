import { base64Payload, decodeStrictBase64 } from './strict-base64.js';

/** The definition the fast path must agree with: whitespace removed, the RFC 4648 pattern, length ≠ 4k + 1. */
function byPattern(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 === 1 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/** A seeded generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRAY = ['=', '-', '_', ' ', '\n', '\t', '!', '.', ',', 'é', '\0', '%', '*'];

describe('decodeStrictBase64', () => {
  it('decodes what Buffer encodes, for every length from 0 to 40 bytes, padded and unpadded', () => {
    for (let n = 1; n <= 40; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff));
      const padded = bytes.toString('base64');
      expect(decodeStrictBase64(padded)).toEqual(bytes);
      expect(decodeStrictBase64(padded.replace(/=+$/, ''))).toEqual(bytes);
    }
  });

  it('refuses what the pattern refuses', () => {
    for (const text of ['', '   ', 'YWJjZ', 'YW-j', 'YW_j', 'YWJj!', 'YW=j', 'Y===', 'YWJj\u00e9', '====']) {
      expect(decodeStrictBase64(text)).toBeUndefined();
    }
  });

  it('ignores whitespace as the pattern path does', () => {
    expect(decodeStrictBase64('YWJj\nZGVm')).toEqual(Buffer.from('abcdef'));
    expect(decodeStrictBase64(' YW Jj ')).toEqual(Buffer.from('abc'));
  });

  it('agrees with the pattern on 20,000 seeded texts with stray characters', () => {
    const next = random(20261202);
    let refused = 0;
    const disagreements: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(next() * 24) }, () => Math.floor(next() * 256)));
      let text = bytes.toString('base64');
      if (next() < 0.5) text = text.replace(/=+$/, '');
      const edits = Math.floor(next() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * (text.length + 1));
        const stray = STRAY[Math.floor(next() * STRAY.length)];
        text = next() < 0.5 ? text.slice(0, at) + stray + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
      }
      const expected = byPattern(text);
      if (expected === undefined) refused++;
      const actual = decodeStrictBase64(text);
      const same = actual === undefined || expected === undefined ? actual === expected : actual.equals(expected);
      if (!same) disagreements.push(JSON.stringify(text));
    }
    expect(disagreements).toEqual([]);
    // Both outcomes were exercised, many times.
    expect(refused).toBeGreaterThan(2_000);
    expect(refused).toBeLessThan(18_000);
  });

  it('reads the base64 part of a data: URL, and leaves other text as it is', () => {
    expect(base64Payload('data:image/png;base64,iVBORw0K')).toBe('iVBORw0K');
    expect(base64Payload('iVBORw0K')).toBe('iVBORw0K');
    expect(decodeStrictBase64(base64Payload('data:text/plain;base64,YWJj'))).toEqual(Buffer.from('abc'));
  });
});
