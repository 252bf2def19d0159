import { Minimatch } from 'minimatch';

export interface SelectionResult {
  readonly files: string[];
  /** Patterns without wildcards (exact paths) that named no file: callers report these as missing. */
  readonly missingPaths: string[];
}

/**
 * Which repo files to fetch, by glob patterns matched against the whole `/`-separated path:
 * `*` stays within one folder (`*.json` is top-level only), `**` crosses folders,
 * a trailing `/` selects a whole folder (`onnx/`), and `{a,b}` alternatives work.
 * No patterns selects every file.
 */
export class FileSelection {
  private readonly matchers: Minimatch[];

  constructor(patterns: readonly string[] | undefined) {
    this.matchers = (patterns ?? [])
      .map(normalizePattern)
      .filter((p) => p !== '')
      .map((p) => new Minimatch(p, { dot: true }));
  }

  get selectsAll(): boolean {
    return this.matchers.length === 0;
  }

  describe(): string {
    return this.selectsAll ? 'all files' : this.matchers.map((m) => m.pattern).join(', ');
  }

  matches(path: string): boolean {
    return this.selectsAll || this.matchers.some((matcher) => matcher.match(path));
  }

  select(paths: readonly string[]): SelectionResult {
    const files = paths.filter((path) => this.matches(path));
    const missingPaths = this.matchers
      .filter((matcher) => !matcher.hasMagic() && !files.some((file) => matcher.match(file)))
      .map((matcher) => matcher.pattern);
    return { files, missingPaths };
  }
}

function normalizePattern(pattern: string): string {
  const trimmed = pattern.trim().replace(/^\.?\/+/, '');
  return trimmed.endsWith('/') ? `${trimmed}**` : trimmed;
}
