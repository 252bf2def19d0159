export interface BenchOptions {
  quick: boolean;
  only: string[];
  list: boolean;
  help: boolean;
  /** Write BENCHMARKS.md (default for full runs; quick runs never touch it). */
  report: boolean;
  /** How long the soak runs (it runs only when selected with --only soak). */
  soakSeconds: number | undefined;
}

export const USAGE = `Usage: npm run bench -- [--quick] [--only <name>[,<name>…]] [--list] [--no-report] [--soak-seconds <n>]

  --quick        smoke run: few repetitions; results go to bench/results/quick.json, BENCHMARKS.md is untouched
  --only <name>  run only these benchmarks (repeatable or comma-separated); their entries in
                 bench/results/latest.json and BENCHMARKS.md are replaced, the others kept
  --list         list the registered benchmarks (and the planned ones) and exit
  --no-report    do not rewrite BENCHMARKS.md (bench/results/latest.json is still written)
  --soak-seconds <n>  duration of the soak (default 600, 30 with --quick); the soak runs only with --only soak

Environment: FOCAL_BENCH_REDIS_URL or FOCAL_TEST_REDIS_URL (default redis://127.0.0.1:6379).`;

export function parseBenchOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    quick: false,
    only: [],
    list: false,
    help: false,
    report: true,
    soakSeconds: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--list') options.list = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--no-report') options.report = false;
    else if (arg === '--soak-seconds' || arg.startsWith('--soak-seconds=')) {
      const value = Number(arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i]);
      if (!Number.isInteger(value) || value < 5) throw new Error('--soak-seconds needs a whole number ≥ 5');
      options.soakSeconds = value;
    } else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!value) throw new Error('--only needs a benchmark name');
      options.only.push(
        ...value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
    } else throw new Error(`unknown argument "${arg}"\n${USAGE}`);
  }
  return options;
}
