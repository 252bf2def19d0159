import { jest } from '@jest/globals';
import type { NextFunction, Request, Response } from 'express';
import { InvalidInputError, RetryLaterError, type ModelType } from '@focal/contracts';
import { AdmissionRefusalHold } from './admission-refusal.hold.js';
import { AdmissionRejectedError } from './admission.queue.js';
import { admissionShedMiddleware, inferenceModelOf } from './admission-shed.middleware.js';
import { RefusalPacer } from './refusal.pacer.js';

function fakeResponse() {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const res = {
    setHeader: (name: string, value: string) => ((sent.headers[name] = value), res),
    status: (code: number) => ((sent.status = code), res),
    json: (body: unknown) => ((sent.body = body), res),
    writableEnded: false,
    headersSent: false,
  };
  return { res: res as unknown as Response, sent };
}

function run(
  path: string,
  checkRoom: (type: ModelType) => void,
  method = 'POST',
  socket = { destroyed: false },
  pacer = new RefusalPacer(1000),
) {
  const { res, sent } = fakeResponse();
  const calls: unknown[] = [];
  const held: ModelType[] = [];
  const next: NextFunction = (error?: unknown) => calls.push(error ?? 'next');
  admissionShedMiddleware({ checkRoom }, new AdmissionRefusalHold(pacer, (type) => held.push(type)))(
    { method, path, socket } as unknown as Request,
    res,
    next,
  );
  return { sent, calls, held };
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
    throw new AdmissionRejectedError('dinov3 has 16 requests waiting', 2.5, 'queue_full');
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

  describe('a connection that comes back before its Retry-After', () => {
    beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
    afterEach(() => jest.useRealTimers());
    const soon = () => {
      throw new AdmissionRejectedError('busy', 1, 'queue_full');
    };

    it('has its next refusal held for the rest of the Retry-After, then sent', () => {
      const socket = { destroyed: false };
      const pacer = new RefusalPacer(5000);
      expect(run('/inference/dinov3', soon, 'POST', socket, pacer).sent.status).toBe(503);
      jest.advanceTimersByTime(200);
      const second = run('/inference/dinov3', soon, 'POST', socket, pacer);
      expect(second.held).toEqual(['dinov3']);
      jest.advanceTimersByTime(799);
      expect(second.sent.status).toBeUndefined();
      jest.advanceTimersByTime(1);
      expect(second.sent).toEqual({ status: 503, headers: { 'Retry-After': '1' }, body: { detail: 'busy' } });
    });

    it('is not answered if it closed while held', () => {
      const socket = { destroyed: false };
      const pacer = new RefusalPacer(5000);
      run('/inference/dinov3', soon, 'POST', socket, pacer);
      const second = run('/inference/dinov3', soon, 'POST', socket, pacer);
      socket.destroyed = true;
      jest.advanceTimersByTime(1000);
      expect(second.sent.status).toBeUndefined();
    });

    it('sends any other Retry-After answer at once, however soon the connection came back', () => {
      const socket = { destroyed: false };
      const pacer = new RefusalPacer(5000);
      const cold = () => {
        throw new RetryLaterError('dinov3 is loading', 1);
      };
      run('/inference/dinov3', soon, 'POST', socket, pacer);
      const second = run('/inference/dinov3', cold, 'POST', socket, pacer);
      expect(second.held).toEqual([]);
      expect(second.sent.status).toBe(503);
    });

    it('does not hold another connection', () => {
      const pacer = new RefusalPacer(5000);
      run('/inference/dinov3', soon, 'POST', { destroyed: false }, pacer);
      const other = run('/inference/dinov3', soon, 'POST', { destroyed: false }, pacer);
      expect(other.held).toEqual([]);
      expect(other.sent.status).toBe(503);
    });
  });
});
