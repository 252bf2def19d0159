import { createHash } from 'node:crypto';
import { join } from 'node:path';

/**
 * Where files from a plain URL are cached:
 *
 *   <root>/focal-urls/<host>--<sha256(url)[:16]>/<file name or manifest paths>
 *   <root>/focal-urls/.locks/<host>--<…>/<sha256(path)[:16]>.focal-lock
 *
 * The host keeps folders recognisable; the hash keeps different URLs apart.
 */
export class UrlCache {
  readonly dir: string;
  private readonly lockDir: string;

  constructor(cacheDir: string, url: string) {
    const parsed = new URL(url);
    const key = `${parsed.host.replace(/[^A-Za-z0-9.-]/g, '_')}--${digest(parsed.href)}`;
    this.dir = join(cacheDir, 'focal-urls', key);
    this.lockDir = join(cacheDir, 'focal-urls', '.locks', key);
  }

  filePath(file: string): string {
    return join(this.dir, ...file.split('/'));
  }

  lockPath(file: string): string {
    return join(this.lockDir, `${digest(file)}.focal-lock`);
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
