/** Standard base64 (RFC 4648 §4): the alphabet, then at most two `=`. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The bytes of standard base64 text, whitespace ignored, or undefined when the text is not base64 (empty, a
 * stray character, the URL-safe alphabet, a length of 4k + 1).
 *
 * Node's decoder skips what it cannot read, so its output alone does not say the text was base64. Checking the
 * whole text against the pattern cost 0.44 ms for a 70 KB image here, so the fast path decodes first and accepts
 * only when the output has exactly the length the text's characters would give. Any skipped or early-ending
 * character makes it shorter, so such text falls through to the pattern, which decides as before (the spec checks
 * the two paths agree on seeded text).
 */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 1 && text.indexOf('-') < 0 && text.indexOf('_') < 0) {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length > 0 && bytes.length === strictByteLength(text)) return bytes;
  }
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 === 1 || !BASE64.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/** The bytes that `text` encodes if every character is in the alphabet and only the last two may be `=`. */
function strictByteLength(text: string): number {
  const padding = text.length % 4 !== 0 ? 0 : text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

/** The base64 part of a `data:` URL (what follows its comma), or the text itself. */
export function base64Payload(text: string): string {
  return text.startsWith('data:') ? text.slice(text.indexOf(',') + 1) : text;
}
