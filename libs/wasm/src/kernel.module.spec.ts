import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KernelModule } from './kernel.module.js';

// A small module compiled here with the pinned compiler and the flags tools/wasm/build-kernels.mjs uses, so the
// runtime is tested on its own, apart from the libraries' kernels.
const SOURCE = `
export const HEAP_BASE: usize = __heap_base;
export function sum(values: usize, count: i32): f64 {
  let total: f64 = 0;
  for (let i = 0; i < count; i++) total += load<f64>(values + ((<usize>i) << 3));
  return total;
}
export function fill(out: usize, count: i32, value: i32): void {
  memory.fill(out, <u8>value, <usize>count);
}
export function fail(): void {
  abort('on purpose');
}
`;

function compile(): string {
  const require = createRequire(import.meta.url);
  const asc = join(dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
  const work = mkdtempSync(join(tmpdir(), 'focal-wasm-spec-'));
  try {
    writeFileSync(join(work, 'index.ts'), SOURCE);
    const flags = ['-O3', '--runtime', 'stub', '--initialMemory', '1'];
    execFileSync(process.execPath, [asc, join(work, 'index.ts'), ...flags, '-o', join(work, 'module.wasm')]);
    return readFileSync(join(work, 'module.wasm')).toString('base64');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

describe('KernelModule and KernelCall', () => {
  let base64: string;
  beforeAll(() => {
    base64 = compile();
  }, 60_000);

  it('copies the inputs in, runs the kernel and returns its value', () => {
    const module = new KernelModule(base64, 'the spec module');
    const call = module.call();
    const values = call.input(new Float64Array([1.5, 2.25, -0.75]));
    call.prepare();
    expect(call.run('sum', values, 3)).toBe(3);
  });

  it('places every array 16-byte aligned, one after another, and reads outputs from the memory prepare returns', () => {
    const module = new KernelModule(base64, 'the spec module');
    const call = module.call();
    const odd = call.input(new Uint8Array([1, 2, 3]));
    const out = call.reserve(5);
    const after = call.reserve(1);
    expect([odd % 16, out % 16, after % 16]).toEqual([0, 0, 0]);
    expect(out - odd).toBe(16);
    expect(after - out).toBe(16);
    const buffer = call.prepare();
    expect(call.run('fill', out, 5, 7)).toBe(0);
    expect([...new Uint8Array(buffer, odd, 3)]).toEqual([1, 2, 3]);
    expect([...new Uint8Array(buffer, out, 6)]).toEqual([7, 7, 7, 7, 7, 0]);
  });

  it('grows memory once for a large layout, and a call past the retained size leaves that memory behind', () => {
    const module = new KernelModule(base64, 'the spec module', 1024 * 1024);
    const small = module.call();
    small.prepare();
    const initial = module.exports().memory.buffer.byteLength;
    const large = module.call();
    const values = large.input(new Float64Array(300_000).fill(0.5));
    const buffer = large.prepare();
    expect(buffer.byteLength).toBeGreaterThanOrEqual(300_000 * 8);
    expect(large.run('sum', values, 300_000)).toBe(150_000);
    // The next call gets a fresh instance with the initial memory; the large one goes with its last call.
    expect(module.exports().memory.buffer.byteLength).toBe(initial);
  });

  it('keeps the instance, and its memory, after calls within the retained size', () => {
    const module = new KernelModule(base64, 'the spec module', 8 * 1024 * 1024);
    const first = module.exports();
    const call = module.call();
    call.input(new Float64Array(200_000));
    call.prepare();
    expect(module.exports()).toBe(first);
    expect(first.memory.buffer.byteLength).toBeGreaterThanOrEqual(200_000 * 8);
  });

  it('refuses to run before prepare, and names a kernel the module lacks', () => {
    const module = new KernelModule(base64, 'the spec module');
    const call = module.call();
    expect(() => call.run('sum', 0, 0)).toThrow('KernelCall.run before prepare');
    call.prepare();
    expect(() => call.run('product', 0, 0)).toThrow('the WebAssembly module has no kernel "product"');
  });

  it("turns a kernel's abort into an error that names the module", () => {
    const call = new KernelModule(base64, 'the spec module').call();
    call.prepare();
    expect(() => call.run('fail')).toThrow('a WebAssembly kernel of the spec module aborted');
  });
});
