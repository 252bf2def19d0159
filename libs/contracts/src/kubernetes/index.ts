export * from './model-deployment.types.js';
export * from './object-meta.types.js';
