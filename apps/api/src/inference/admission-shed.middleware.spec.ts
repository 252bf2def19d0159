import type { NextFunction, Request, Response } from 'express';
import { InvalidInputError, RetryLaterError, type ModelType } from '@focal/contracts';
import { admissionShedMiddleware, inferenceModelOf } from './admission-shed.middleware.js';

function fakeResponse() {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const res = {
    setHeader: (name: string, value: string) => ((sent.headers[name] = value), res),
    status: (code: number) => ((sent.status = code), res),
    json: (body: unknown) => ((sent.body = body), res),
  };
  return { res: res as unknown as Response, sent };
}

function run(path: string, checkRoom: (type: ModelType) => void, method = 'POST') {
  const { res, sent } = fakeResponse();
  const calls: unknown[] = [];
  const next: NextFunction = (error?: unknown) => calls.push(error ?? 'next');
  admissionShedMiddleware({ checkRoom })({ method, path } as Request, res, next);
  return { sent, calls };
}

describe('inferenceModelOf', () => {
  it.each([
    ['POST', '/inference/sam3', 'sam3'],
    ['POST', '/inference/grounding-dino', 'grounding_dino'],
    ['POST', '/inference/depth_anything/', 'depth_anything'],
    ['POST', '/jobs/submit/dinov3', undefined],
    ['GET', '/inference/dinov3', undefined],
    ['POST', '/inference/unknown', undefined],
    ['POST', '/inference/sam3/extra', undefined],
  ])('%s %s → %p', (method, path, type) => {
    expect(inferenceModelOf(method, path)).toBe(type);
  });
});

describe('admissionShedMiddleware', () => {
  const full = () => {
    throw new RetryLaterError('dinov3 has 16 requests waiting', 2.5);
  };

  it('answers 503 {"detail"} with Retry-After, without reading the body, when the queue is full', () => {
    const { sent, calls } = run('/inference/dinov3', full);
    expect(calls).toEqual([]);
    expect(sent).toEqual({
      status: 503,
      headers: { 'Retry-After': '3' },
      body: { detail: 'dinov3 has 16 requests waiting' },
    });
  });

  it('asks about the model of the route, aliases resolved', () => {
    const asked: ModelType[] = [];
    const { calls } = run('/inference/grounding-dino', (type) => void asked.push(type));
    expect(asked).toEqual(['grounding_dino']);
    expect(calls).toEqual(['next']);
  });

  it('never sheds jobs or other routes', () => {
    expect(run('/jobs/submit/dinov3', full).calls).toEqual(['next']);
    expect(run('/models/load', full).calls).toEqual(['next']);
  });

  it('hands any other error to the error path', () => {
    const error = new InvalidInputError('not a shedding decision');
    const { calls, sent } = run('/inference/sam3', () => {
      throw error;
    });
    expect(calls).toEqual([error]);
    expect(sent.status).toBeUndefined();
  });
});
