import type { NamedTensors } from '../tensor/tensor.js';

/**
 * Runs one named graph of a model folder ("model" for single-graph families; SAM3 has
 * "vision_encoder", "text_encoder" and "decoder"). Feeds carry a leading batch dimension of 1 per call;
 * the implementation may stack concurrent calls of equal shapes into one session.run (micro-batching),
 * so processors call it once per image and never batch by hand.
 */
export interface GraphRunner {
  run(graph: string, feeds: NamedTensors): Promise<NamedTensors>;
}
