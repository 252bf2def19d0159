// onnxruntime-node behind the pipeline's GraphRunner: shared by the inference worker and the bench's in-process tiers.
export * from './onnx-graph.runner.js';
export * from './graph-contract.js';
export * from './session-options.js';
