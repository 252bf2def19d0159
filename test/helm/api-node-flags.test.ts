import { readFileSync } from 'node:fs';
import path from 'node:path';
import { API_NODE_FLAGS, apiArguments } from '@focal/testing';
import { imagePrograms } from '../../libs/testing/src/process-runtime/image.programs.js';
import { repoRoot } from './helm-render.js';

/**
 * The API's Node flags (API_NODE_FLAGS: a smaller V8 young generation, which keeps its peak RSS under load
 * down) must be the same wherever the API starts, or the bench and the tests would measure another process
 * than the one users run. The API image's CMD is checked with the other images' in images-and-kind.test.ts.
 */
const ENTRY = 'dist/apps/api/src/main.js';
const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');

/** The words after `node` up to the entry, in a shell or npm command line that ends with the entry. */
function flagsOfCommandLine(line: string): string[] {
  const words = line.trim().split(/\s+/);
  const node = words.indexOf('node');
  const entry = words.indexOf(ENTRY);
  expect(node).toBeGreaterThanOrEqual(0);
  expect(entry).toBe(words.length - 1);
  return words.slice(node + 1, entry);
}

describe('API Node flags', () => {
  it('are set at all: the flags measured in BENCHMARKS.md, not an empty list', () => {
    expect(API_NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of API_NODE_FLAGS) expect(flag).toMatch(/^--[a-z-]+(=\S+)?$/);
  });

  it('are what scripts/run.sh execs and what npm run start:api runs', () => {
    const exec = read('scripts/run.sh')
      .split('\n')
      .filter((line) => line.startsWith('exec node '));
    expect(exec).toHaveLength(1);
    expect(flagsOfCommandLine(exec[0].slice('exec '.length))).toEqual(API_NODE_FLAGS);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(flagsOfCommandLine(scripts['start:api'])).toEqual(API_NODE_FLAGS);
  });

  it('are what the process runtime runs for the focal/api image and what the test and bench launcher spawns', () => {
    const api = imagePrograms('/repo').get('focal/api');
    expect(api?.argv(undefined, undefined, '127.0.0.5')).toEqual(['node', ...API_NODE_FLAGS, `/repo/${ENTRY}`]);
    // A pod's args replace CMD, flags and all, as in Kubernetes.
    expect(api?.argv(undefined, ['node', 'other.js'], '127.0.0.5')).toEqual(['node', 'other.js']);
    // The inference image keeps V8's defaults: its flags are the API's only.
    expect(imagePrograms('/repo').get('focal/inference')?.argv(undefined, undefined, '127.0.0.5')).toEqual([
      'node',
      '/repo/dist/apps/inference/src/main.js',
    ]);
    const launched = apiArguments();
    expect(launched.slice(0, -1)).toEqual(API_NODE_FLAGS);
    expect(launched[launched.length - 1]?.endsWith(ENTRY)).toBe(true);
  });
});
