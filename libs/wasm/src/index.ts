export * from './kernel.module.js';
export * from './kernel.call.js';
