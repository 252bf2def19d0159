export * from './onnx-graph.builder.js';
export * from './demo-model.js';
export * from './demo-model.writer.js';
export * from './demo-models.registry.js';
export * from './families/dinov3.demo.js';
export * from './families/depth-anything.demo.js';
export * from './families/grounding-dino.demo.js';
export * from './families/sam3.demo.js';
