import type { Request, Response } from 'express';
import { FRAME_CONTENT_TYPE, encodeFrame } from '@focal/contracts';

/** The API asks for a frame (Accept); anything else (curl, a test tool) gets the same result as JSON. */
export function sendInferResult(req: Request, res: Response, result: unknown): void {
  if (!(req.headers.accept ?? '').includes(FRAME_CONTENT_TYPE)) {
    res.status(200).json(result);
    return;
  }
  // One buffer, one write: a copy of the sections costs less than the packets of many small writes.
  const body = Buffer.concat(encodeFrame(result));
  res.status(200).setHeader('content-type', FRAME_CONTENT_TYPE);
  res.setHeader('content-length', String(body.length));
  res.end(body);
}
