export * from './errors/http-exception.filter.js';
export * from './errors/retry-later.sender.js';
export * from './validation/validation.pipe.js';
export * from './logging/logger.factory.js';
export * from './metrics/metrics.registry.js';
export * from './metrics/http-metrics.middleware.js';
export * from './validation/validate-dto.js';
