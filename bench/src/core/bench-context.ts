import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FocalApiProcess, startFocalApi } from '../api/focal-api.process.js';
import { deleteQueueKeys } from '../api/redis-keys.cleanup.js';

export interface BenchSettings {
  /** Smoke run: a fraction of the repetitions, results kept apart from the real ones. */
  quick: boolean;
  redisUrl: string;
  /** --soak-seconds, when given. */
  soakSeconds?: number;
}

type Disposer = () => Promise<void> | void;

/** Resources shared by all benchmarks of one run (e.g. the shape-true model folder), freed at the very end. */
export class RunScope {
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly disposers: Disposer[] = [];
  private readonly started = performance.now();

  shared<T>(key: string, create: () => Promise<T>): Promise<T> {
    if (!this.memo.has(key)) this.memo.set(key, create());
    return this.memo.get(key) as Promise<T>;
  }

  onDispose(disposer: Disposer): void {
    this.disposers.push(disposer);
  }

  elapsedSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  async dispose(): Promise<void> {
    for (const disposer of this.disposers.splice(0).reverse()) await disposer();
  }
}

/**
 * What a benchmark gets: settings, repetition counts scaled for --quick, temp folders and API
 * processes that are cleaned up after it (even when it throws), and run-wide shared resources.
 */
export class BenchContext {
  private readonly disposers: Disposer[] = [];

  constructor(
    readonly name: string,
    readonly settings: BenchSettings,
    readonly run: RunScope,
  ) {}

  get quick(): boolean {
    return this.settings.quick;
  }

  /** Repetitions: `full` normally, `quick` under --quick. */
  reps(full: number, quick: number): number {
    return this.settings.quick ? quick : full;
  }

  log(message: string): void {
    process.stderr.write(`[bench ${this.run.elapsedSeconds().toFixed(1).padStart(6)}s] ${this.name}: ${message}\n`);
  }

  /** A temp folder removed when the whole run ends (so shared resources may live in it). */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), `focal-bench-${prefix}-`));
    this.run.onDispose(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  onDispose(disposer: Disposer): void {
    this.disposers.push(disposer);
  }

  /** The real API as a child process, stopped (with its workers and Redis keys) when this benchmark ends. */
  async startApi(hfRoot: string, env: Record<string, string> = {}): Promise<FocalApiProcess> {
    const api = await startFocalApi({ redisUrl: this.settings.redisUrl, hfRoot, env });
    this.onDispose(async () => {
      await api.stop();
      await deleteQueueKeys(this.settings.redisUrl, api.queuePrefix).catch((error: Error) =>
        this.log(`could not delete Redis keys ${api.queuePrefix}:* (${error.message})`),
      );
    });
    return api;
  }

  async dispose(): Promise<void> {
    for (const disposer of this.disposers.splice(0).reverse()) {
      try {
        await disposer();
      } catch (error) {
        this.log(`cleanup failed: ${(error as Error).message}`);
      }
    }
  }
}
