import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError } from '@focal/contracts';
import { PlaygroundAssets, defaultPlaygroundDir } from './playground.assets.js';

describe('PlaygroundAssets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'focal-playground-assets-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'main.js'), '');
  mkdirSync(join(dir, 'folder.js'));
  const assets = new PlaygroundAssets(dir);

  it('serves plain files directly inside the folder', () => {
    expect(assets.pathOf('index.html')).toBe(join(dir, 'index.html'));
    expect(assets.pathOf('main.js')).toBe(join(dir, 'main.js'));
  });

  it.each(['../package.json', '..', '.hidden', 'a/b.js', '', 'folder.js', 'missing.css'])(
    'answers 404 for %j',
    (name) => {
      expect(() => assets.pathOf(name)).toThrow(NotFoundError);
    },
  );

  it('says how to build the page when the folder has no index.html', () => {
    const empty = new PlaygroundAssets(mkdtempSync(join(tmpdir(), 'focal-playground-empty-')));
    expect(() => empty.pathOf('index.html')).toThrow(/not built .* run "npm run build"/);
  });

  it('defaults to dist/playground beside the API build (three folders above apps/api/src/playground)', () => {
    expect(defaultPlaygroundDir()).toMatch(/[/\\]playground$/);
    expect(defaultPlaygroundDir()).not.toMatch(/apps[/\\]playground$/);
  });
});
