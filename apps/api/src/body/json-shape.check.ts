export interface JsonShapeLimits {
  maxDepth: number;
  maxArrayLength: number;
}

interface Pending {
  value: object;
  depth: number;
  path: string;
}

/**
 * Why a parsed JSON value is too deep or too wide, or undefined when it fits. Iterative (an explicit stack,
 * never recursion), so a body of thousands of nested arrays is measured without touching the call stack —
 * unlike class-transformer, which recurses and overflows. Depth counts containers: `[]` is 1, `[[]]` is 2.
 * Objects are bounded like arrays, by their member count.
 */
export function jsonShapeProblem(root: unknown, limits: JsonShapeLimits): string | undefined {
  if (typeof root !== 'object' || root === null) return undefined;
  const stack: Pending[] = [{ value: root, depth: 1, path: '$' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, depth, path } = item;
    if (depth > limits.maxDepth) return `request body nests deeper than ${limits.maxDepth} levels (at ${path})`;
    const isArray = Array.isArray(value);
    const size = isArray ? value.length : Object.keys(value).length;
    if (size > limits.maxArrayLength) {
      const what = isArray ? `an array of ${size} items` : `an object with ${size} members`;
      return `request body has ${what} at ${path} (at most ${limits.maxArrayLength})`;
    }
    const entries = isArray ? value.map((v, i) => [`[${i}]`, v] as const) : memberEntries(value);
    for (const [key, child] of entries) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1, path: path + key });
    }
  }
  return undefined;
}

function memberEntries(value: object): (readonly [string, unknown])[] {
  return Object.entries(value).map(
    ([key, child]) => [/^[A-Za-z_]\w*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`, child] as const,
  );
}
