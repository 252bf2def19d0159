import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotFoundError } from '@focal/contracts';

/** `npm run build` bundles apps/playground into dist/playground, three folders up from this file's build. */
export function defaultPlaygroundDir(): string {
  return fileURLToPath(new URL('../../../../playground', import.meta.url));
}

/**
 * The built playground folder. Only plain file names directly inside it are served (the bundle is flat:
 * index.html, main.js, main.css and their maps), so no request can reach outside the folder.
 */
export class PlaygroundAssets {
  private readonly dir: string;

  constructor(dir: string | undefined) {
    this.dir = resolve(dir ?? defaultPlaygroundDir());
  }

  /** Absolute path of `name`, or a 404 when it is not a built asset. */
  pathOf(name: string): string {
    if (!/^[\w-][\w.-]*$/.test(name)) throw new NotFoundError(`no playground asset "${name}"`);
    const path = join(this.dir, name);
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) {
      throw new NotFoundError(
        name === 'index.html'
          ? `the playground is not built in ${this.dir}: run "npm run build"`
          : `no playground asset "${name}"`,
      );
    }
    return path;
  }
}
