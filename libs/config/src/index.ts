export * from './env.reader.js';
export * from './shared.config.js';
export * from './api.config.js';
export * from './inference.config.js';
export { readProcessEnv } from './process-env.js';
export * from './operator.config.js';
