import { execFileSync } from 'node:child_process';

/**
 * Direct children of a process (`pgrep -P`): an API's inference workers. Empty only when pgrep says it
 * matched none (exit 1); any other failure (pgrep missing, bad arguments) throws, so a test that expects
 * "no children" cannot pass because pgrep could not run.
 */
export function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch (error) {
    if ((error as { status?: number }).status === 1) return [];
    throw new Error(`pgrep -P ${pid} failed: ${(error as Error).message}`, { cause: error });
  }
}
