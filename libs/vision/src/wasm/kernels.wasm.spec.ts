import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KERNELS_WASM } from './kernels.wasm.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

describe('the committed WebAssembly module', () => {
  it('is exactly what its AssemblyScript source compiles to (tools/wasm/build-kernels.mjs --check <this module>)', () => {
    // --check recompiles with the pinned compiler and exits 1 on any difference, so the source and the bytes
    // that run can never drift apart, and the output is shown to be reproducible.
    const output = execFileSync(
      process.execPath,
      [join(ROOT, 'tools/wasm/build-kernels.mjs'), '--check', 'libs/vision/src/wasm/kernels.wasm.ts'],
      {
        encoding: 'utf8',
      },
    );
    expect(output).toContain('libs/vision/src/wasm/kernels.wasm.ts matches its source');
  }, 60_000);

  it('is a WebAssembly binary (magic and version 1)', () => {
    const bytes = Buffer.from(KERNELS_WASM, 'base64');
    expect([...bytes.subarray(0, 8)]).toEqual([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  });
});
