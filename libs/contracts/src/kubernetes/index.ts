export * from './model-deployment.types.js';
