// Jest reporter (plain ESM, Jest loads it untransformed): prints the comparisons that the reference tests
// recorded (comparison.recorder.ts) as one table, family × image × metric, then
// `reference: N/M comparisons within tolerance`. Prints nothing in runs that recorded none.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

export default class ComparisonReporter {
  constructor(globalConfig) {
    this.file = join(globalConfig.rootDir, '.ci', 'reference-comparisons.jsonl');
  }

  onRunStart() {
    rmSync(this.file, { force: true });
  }

  onRunComplete() {
    if (!existsSync(this.file)) return;
    const rows = readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) => JSON.parse(line));
    if (rows.length === 0) return;
    const format = (v) =>
      Number.isFinite(v) ? (Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(4) : v.toExponential(2)) : String(v);
    const table = rows.map((r) => [
      r.family,
      r.image,
      r.metric,
      format(r.maxError),
      format(r.tolerance),
      r.within ? 'ok' : 'FAIL',
      r.detail ?? '',
    ]);
    const header = ['family', 'image', 'metric', 'max error', 'tolerance', '', 'detail'];
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => String(row[i]).length)));
    const line = (cells) =>
      cells
        .map((c, i) => String(c).padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    const within = rows.filter((r) => r.within).length;
    const out = [
      '',
      line(header),
      line(widths.map((w) => '-'.repeat(w))),
      ...table.map(line),
      '',
      `reference: ${within}/${rows.length} comparisons within tolerance`,
      '',
    ];
    process.stdout.write(out.join('\n'));
  }
}
