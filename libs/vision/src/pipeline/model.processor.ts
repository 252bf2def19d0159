import type { ModelType } from '@focal/contracts';
import type { RgbImage } from '../image/rgb-image.js';
import type { GraphRunner } from './graph.runner.js';

/** The graph I/O a processor needs: role → expected tensor rank, checked against the real graph at load. */
export interface GraphExpectation {
  inputs: Record<string, number>;
  outputs: Record<string, number>;
  /** Output roles that may be absent from the graph (the processor derives them). */
  optionalOutputs?: string[];
}

/**
 * A model family's processing: pure pre/post-processing around GraphRunner calls.
 * One instance serves one loaded model; it holds no per-request state except deliberate caches.
 */
export interface ModelProcessor<TParams = unknown, TResult = unknown> {
  readonly family: ModelType;
  /** Graph roles and ranks this processor relies on, keyed by graph name. */
  readonly expectations: Record<string, GraphExpectation>;
  /** Validates and defaults request params; throws InvalidInputError on bad input. */
  parseParams(raw: Record<string, unknown>): TParams;
  infer(images: RgbImage[], params: TParams, runner: GraphRunner): Promise<TResult>;
  /** A small input that exercises every graph, used for warm-up before /readyz turns ready. */
  warmupParams(): TParams;
}
