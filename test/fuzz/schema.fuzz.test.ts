import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { metricSum } from '@focal/testing';
import { FocalApi, startFocalApi } from '../support/focal-api.process.js';

/**
 * Schemathesis (tools/fuzz, installed by tools/fuzz/setup-venv.sh, which scripts/test.sh runs) against the
 * OpenAPI document of a started Focal: local runtime, demo models, real Redis, real workers.
 * Every operation with positive and negative data, the stateful links (load → infer/submit/unload, submit → get → delete),
 * and the checks: no 5xx, documented status codes, content types and response schemas, and every error exactly
 * {"detail": str}. The request count comes from the API's own /metrics, so the run cannot pass vacuously.
 */
const VENV = process.env.FOCAL_FUZZ_VENV ?? join(homedir(), '.cache', 'focal', 'fuzz-venv');
const RUN_FUZZ = resolve('tools/fuzz/run-fuzz.sh');
/** With 5 examples per operation the run sends about 1,000 requests; far fewer means it did not really run. */
const MIN_REQUESTS = 500;
/** Links the stateful phase must follow: 15 of 17 measured, less a margin for which scenarios a run draws. */
const MIN_LINKS_COVERED = 13;
const FUZZ_DEADLINE_MS = 9 * 60_000;

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // A deadline, not an assertion on time: a hung run is killed and fails on its exit code.
    const deadline = setTimeout(() => child.kill('SIGKILL'), FUZZ_DEADLINE_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(deadline);
      done({ code, output });
    });
  });
}

async function requestsServed(api: FocalApi): Promise<number> {
  return metricSum(await (await fetch(`${api.url}/metrics`)).text(), 'focal_http_requests_total');
}

describe('schema fuzzing (schemathesis)', () => {
  let api: FocalApi;

  beforeAll(async () => {
    if (!existsSync(join(VENV, 'bin', 'st'))) {
      throw new Error(`schemathesis is not installed in ${VENV}: run bash tools/fuzz/setup-venv.sh`);
    }
    // Offline, with the hub pointed at a closed loopback port: a generated model_id never leaves the machine.
    // Lists of at most 4 images and 4 prompts (the document says so, and the fuzzer tests those bounds): generated
    // images are real PNGs, so a boundary case at the default 16 × 32 would run hundreds of inferences.
    api = await startFocalApi(
      { HF_HUB_OFFLINE: 'true', HF_ENDPOINT: 'http://127.0.0.1:9', FOCAL_MAX_IMAGES: '4', FOCAL_MAX_PROMPTS: '4' },
      60_000,
    );
  });
  afterAll(() => api?.stop());

  it(
    'finds no 5xx, no undocumented status, schema or content type, and only {"detail"} errors',
    async () => {
      const spec = (await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: Record<string, object> };
      const operations = Object.values(spec.paths).reduce((n, item) => n + Object.keys(item).length, 0);
      const before = await requestsServed(api);

      const reportDir = mkdtempSync(join(tmpdir(), 'focal-fuzz-'));
      const { code, output } = await run('bash', [RUN_FUZZ, api.url, reportDir]);
      const requests = (await requestsServed(api)) - before;
      // Up to schemathesis's seed line: its last line is pytest's closing banner ("N warnings in Ns"), which
      // CI log readers take for the suite's own closing line (a pytest run that executed no test).
      const summary = output
        .slice(output.lastIndexOf('SUMMARY'))
        .split('\n')
        .filter((line) => !/^=+ .* in [\d.]+s =+$/.test(line.trim()))
        .join('\n')
        .trimEnd();
      const links = /API Links:\s+(\d+) covered[^\n]*/.exec(output);
      process.stdout.write(
        `schemathesis sent ${requests} requests over ${operations} operations; ${links?.[0]}\n${summary.replace(/^/gm, '  | ')}\n`,
      );

      if (code !== 0) throw new Error(`schemathesis failed (exit ${code}):\n${output.slice(-20_000)}`);
      expect(summary).toMatch(new RegExp(`Tested: ${operations}\\b`));
      for (const phase of ['Examples', 'Coverage', 'Fuzzing', 'Stateful'])
        expect(summary).toMatch(new RegExp(`✅ ${phase}`));
      // The stateful phase followed the links (load → infer/submit/unload, unload → load → infer/submit, submit → get
      // → delete), not only single calls: 15 of 17 in measured runs, which ones varies a little (tools/fuzz/README.md).
      expect(Number(links?.[1])).toBeGreaterThanOrEqual(MIN_LINKS_COVERED);
      expect(requests).toBeGreaterThan(MIN_REQUESTS);
    },
    FUZZ_DEADLINE_MS + 60_000,
  );
});
