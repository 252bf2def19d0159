/**
 * Reads typed values from an environment map and collects every problem,
 * so a bad boot reports all misconfigured variables at once instead of the first one.
 */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

export type Env = Record<string, string | undefined>;

export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalString(name: string): string | undefined {
    return this.raw(name);
  }

  int(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value)) return this.fail(`${name} must be an integer, got "${raw}"`, fallback);
    if (range.min !== undefined && value < range.min) return this.fail(`${name} must be >= ${range.min}`, fallback);
    if (range.max !== undefined && value > range.max) return this.fail(`${name} must be <= ${range.max}`, fallback);
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.raw(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    return this.fail(`${name} must be true or false, got "${raw}"`, fallback);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    return this.fail(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`, fallback);
  }

  list(name: string, fallback: string[] = []): string[] {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    return raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  }

  url(name: string, fallback: string, protocols: readonly string[]): string {
    const raw = this.string(name, fallback);
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        return this.fail(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`, fallback);
      }
      return raw;
    } catch {
      return this.fail(`${name} must be a URL, got "${raw}"`, fallback);
    }
  }

  /** Records a problem found by a caller-specific check. */
  problem(message: string): void {
    this.problems.push(message);
  }

  assertValid(): void {
    if (this.problems.length > 0) throw new ConfigValidationError([...this.problems]);
  }

  private fail<T>(message: string, fallback: T): T {
    this.problems.push(message);
    return fallback;
  }
}
