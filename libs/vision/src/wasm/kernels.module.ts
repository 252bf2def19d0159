import { KernelModule } from '@focal/wasm';
import { KERNELS_WASM } from './kernels.wasm.js';

/**
 * The WebAssembly module of libs/vision/assembly: the per-pixel loops of pre- and post-processing, which V8 ran at
 * about 3 ns per multiply-add on this 2-core machine. Each kernel does the same arithmetic in the same order as
 * the scalar JavaScript it replaced, so results are bit for bit the same (the specs beside each wrapper check it
 * against that arithmetic).
 */
export const VISION_KERNELS = new KernelModule(KERNELS_WASM, 'libs/vision');
