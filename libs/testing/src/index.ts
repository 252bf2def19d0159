export * from './fake-hub/index.js';
export * from './fake-kube/index.js';
export * from './focal-api/focal-api.launcher.js';
