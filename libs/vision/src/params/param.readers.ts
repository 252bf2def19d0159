import { InvalidInputError } from '@focal/contracts';

/** Small readers for worker-side request params. The API validated the DTO already; the worker re-checks. */
export function readNumber(
  raw: Record<string, unknown>,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = raw[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidInputError(`${key} must be a number between ${min} and ${max}`);
  }
  return value;
}

export function readEnum<T extends string>(
  raw: Record<string, unknown>,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = raw[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidInputError(`${key} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function readPrompts(raw: Record<string, unknown>, key = 'prompts'): string[] {
  const value = raw[key];
  if (!Array.isArray(value) || value.length === 0)
    throw new InvalidInputError(`${key} must be a non-empty list of strings`);
  return value.map((item, index) => {
    if (typeof item !== 'string' || item.trim() === '') {
      throw new InvalidInputError(`${key}[${index}] must be a non-empty string`);
    }
    return item.trim();
  });
}
