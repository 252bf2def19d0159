import type { NextFunction, Request, Response } from 'express';
import { jsonShapeProblem, type JsonShapeLimits } from './json-shape.check.js';

/**
 * Runs right after the JSON body parser and before any pipe: a body too deep or too wide gets 400
 * `{"detail": ...}` here, so class-transformer and class-validator only ever see bounded input.
 */
export function jsonShapeMiddleware(limits: JsonShapeLimits) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const problem = jsonShapeProblem(req.body, limits);
    if (problem === undefined) return next();
    res.status(400).json({ detail: problem });
  };
}
