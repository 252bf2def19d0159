import os from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { USAGE, parseBenchOptions } from './cli/bench.options.js';
import { BenchContext, RunScope } from './core/bench-context.js';
import type { Benchmark } from './core/benchmark.js';
import { BENCHMARKS, PLANNED } from './registry.js';
import { redisReachable } from './api/redis-keys.cleanup.js';
import { updateBenchmarksDoc } from './report/benchmarks-doc.js';
import { machineInfo } from './report/machine-info.js';
import { renderGeneratedSection } from './report/markdown.report.js';
import { BenchmarkRecord, mergeResults, readResults, writeResults } from './report/results.file.js';

const LATEST = resolve('bench/results/latest.json');
const QUICK = resolve('bench/results/quick.json');
const DOC = resolve('BENCHMARKS.md');

function select(names: string[]): Benchmark[] {
  if (names.length === 0) return BENCHMARKS.filter((b) => !b.onlyWhenSelected);
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) {
    const planned = unknown.filter((n) => PLANNED.some((p) => p.name === n));
    const hint = planned.length > 0 ? ` (${planned.join(', ')}: registered but not implemented yet)` : '';
    throw new Error(
      `unknown benchmark ${unknown.join(', ')}${hint}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
    );
  }
  return BENCHMARKS.filter((b) => names.includes(b.name));
}

function list(): void {
  for (const b of BENCHMARKS) process.stdout.write(`${b.name.padEnd(24)} ${b.title}\n`);
  for (const p of PLANNED) process.stdout.write(`${p.name.padEnd(24)} (planned) ${p.title}\n  how: ${p.howTo}\n`);
}

async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options.list) {
    list();
    return 0;
  }
  const selected = select(options.only);
  const redisUrl = process.env.FOCAL_BENCH_REDIS_URL ?? process.env.FOCAL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!(await redisReachable(redisUrl)))
    throw new Error(`Redis is not reachable at ${redisUrl} (the API's job queue needs it)`);
  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  const machine = machineInfo();
  const scope = new RunScope();
  let current: BenchContext | undefined;
  const stopOnSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping API processes and removing temp folders\n`);
    void (async () => {
      await current?.dispose();
      await scope.dispose();
    })().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  const records: BenchmarkRecord[] = [];
  for (const benchmark of selected) {
    const ctx = new BenchContext(
      benchmark.name,
      { quick: options.quick, redisUrl, soakSeconds: options.soakSeconds },
      scope,
    );
    current = ctx;
    const started = performance.now();
    const base = {
      name: benchmark.name,
      title: benchmark.title,
      description: benchmark.description,
      quick: options.quick,
      measuredAt: new Date().toISOString(),
      command,
      machine,
    };
    const loadStart = os.loadavg()[0];
    const finish = () => ({
      seconds: (performance.now() - started) / 1000,
      load: { start: loadStart, end: os.loadavg()[0] },
    });
    ctx.log('start');
    try {
      const outcome = await benchmark.run(ctx);
      records.push({ ...base, ...finish(), outcome });
      for (const figure of outcome.figures) ctx.log(`${figure.label}: ${figure.value.toPrecision(3)} ${figure.unit}`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      ctx.log(`FAILED: ${message}`);
      records.push({ ...base, ...finish(), error: message });
    } finally {
      await ctx.dispose();
    }
  }
  await scope.dispose();

  const run = { generatedAt: new Date().toISOString(), command, machine };
  const order = BENCHMARKS.map((b) => b.name);
  if (options.quick) {
    writeResults(QUICK, mergeResults(undefined, run, records, order));
    process.stderr.write(`quick run: results in ${QUICK}; BENCHMARKS.md not touched\n`);
  } else {
    const results = mergeResults(readResults(LATEST), run, records, order);
    writeResults(LATEST, results);
    if (options.report) await updateBenchmarksDoc(DOC, renderGeneratedSection(results, PLANNED));
    process.stderr.write(
      `results in ${LATEST}${options.report ? ` and ${DOC}` : ''} (${scope.elapsedSeconds().toFixed(0)} s)\n`,
    );
  }
  return records.some((r) => r.error) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
