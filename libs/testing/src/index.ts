export * from './fake-hub/index.js';
export * from './fake-kube/index.js';
