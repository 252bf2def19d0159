import type { NextFunction, Request, Response } from 'express';
import type { MetricsRegistry } from './metrics.registry.js';

/** Picks the model type a request is about, or '' when it is about none. */
export type ModelLabeler = (req: Request) => string;

/**
 * Records count and latency once the response is finished, labelled with the matched route
 * pattern (not the raw URL, to keep label cardinality bounded).
 */
export function httpMetricsMiddleware(metrics: MetricsRegistry, modelOf: ModelLabeler) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const stop = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const labels = {
        method: req.method,
        route: routePath ? `${req.baseUrl}${routePath}` : 'unmatched',
        status: String(res.statusCode),
        model: modelOf(req),
      };
      stop(labels);
      metrics.httpRequests.inc(labels);
    });
    next();
  };
}
