/**
 * A copy of a response that fits on screen: base64 payloads and long arrays (dense masks, feature tensors)
 * are cut, with a note of how much was left out. Numbers, short strings and object keys stay as they are.
 */
export function summariseJson(value: unknown, limits = { string: 96, array: 16 }): unknown {
  if (typeof value === 'string') {
    return value.length > limits.string ? `${value.slice(0, limits.string)}… (${value.length} chars)` : value;
  }
  if (Array.isArray(value)) {
    const kept = value.slice(0, limits.array).map((item) => summariseJson(item, limits));
    return value.length > limits.array ? [...kept, `… ${value.length - limits.array} more`] : kept;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, summariseJson(item, limits)]));
  }
  return value;
}
