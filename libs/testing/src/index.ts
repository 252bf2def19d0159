export * from './fake-hub/index.js';
export * from './fake-kube/index.js';
export * from './focal-api/focal-api.launcher.js';
export * from './fixtures/seeded-random.js';
export * from './processes/child-pids.js';
export * from './fixtures/coco-rle.reader.js';
export * from './fixtures/grounding-dino-demo.expectation.js';
export * from './fixtures/sam3-demo.expectation.js';
