import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BenchOutcome } from '../core/benchmark.js';
import type { MachineInfo } from './machine-info.js';

/** One benchmark's entry in bench/results/*.json. */
export interface BenchmarkRecord {
  name: string;
  title: string;
  description: string;
  quick: boolean;
  measuredAt: string;
  seconds: number;
  command: string;
  machine: MachineInfo;
  /** 1-minute load average when the benchmark started and ended: how busy the shared machine was. */
  load: { start: number; end: number };
  outcome?: BenchOutcome;
  error?: string;
}

export interface ResultsFile {
  generatedAt: string;
  command: string;
  machine: MachineInfo;
  benchmarks: Record<string, BenchmarkRecord>;
}

export function readResults(path: string): ResultsFile | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ResultsFile;
  } catch {
    return undefined;
  }
}

/**
 * The new records over the previous file: a `--only` run replaces its benchmarks' entries and keeps
 * the others (each entry says when, where and with which command it was measured).
 */
export function mergeResults(
  previous: ResultsFile | undefined,
  run: Omit<ResultsFile, 'benchmarks'>,
  records: BenchmarkRecord[],
  order: string[],
): ResultsFile {
  const merged = { ...(previous?.benchmarks ?? {}) };
  for (const record of records) merged[record.name] = record;
  const benchmarks = Object.fromEntries(order.filter((name) => merged[name]).map((name) => [name, merged[name]]));
  return { ...run, benchmarks };
}

export function writeResults(path: string, results: ResultsFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
