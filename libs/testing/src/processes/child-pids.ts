import { execFileSync } from 'node:child_process';

/** Direct children of a process (`pgrep -P`): an API's inference workers. None when pgrep finds none. */
export function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
