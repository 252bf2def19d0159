import { jest } from '@jest/globals';
import type { Request, Response } from 'express';
import { RetryLaterError } from '@focal/contracts';
import { sendRetryLater } from './retry-later.sender.js';

function exchange() {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const response = {
    headersSent: false,
    writableEnded: false,
    setHeader: (name: string, value: string) => ((sent.headers[name] = value), response),
    status: (code: number) => ((sent.status = code), response),
    json: (body: unknown) => ((sent.body = body), response),
  };
  const request = { socket: { destroyed: false } };
  return {
    request,
    response,
    sent,
    send: (error: RetryLaterError, ms?: number) =>
      sendRetryLater(
        request as unknown as Request,
        response as unknown as Response,
        error,
        ms === undefined ? undefined : { holdMs: () => ms },
      ),
  };
}

describe('sendRetryLater', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());
  const refusal = new RetryLaterError('dinov3 has 4 requests waiting', 1.2);

  it('sends {"detail"} with Retry-After in whole seconds at once when nothing holds it', () => {
    const { sent, send } = exchange();
    send(refusal);
    expect(sent).toEqual({
      status: 503,
      headers: { 'Retry-After': '2' },
      body: { detail: 'dinov3 has 4 requests waiting' },
    });
  });

  it('sends it at once when the hold says 0', () => {
    const { sent, send } = exchange();
    send(new RetryLaterError('over the rate', 1, 429), 0);
    expect(sent.status).toBe(429);
  });

  it('sends it when the hold is over, not before', () => {
    const { sent, send } = exchange();
    send(refusal, 500);
    jest.advanceTimersByTime(499);
    expect(sent.status).toBeUndefined();
    jest.advanceTimersByTime(1);
    expect(sent.status).toBe(503);
  });

  it('drops a held refusal whose connection closed, or whose response went out some other way', () => {
    const closed = exchange();
    closed.send(refusal, 100);
    closed.request.socket.destroyed = true;
    const answered = exchange();
    answered.send(refusal, 100);
    answered.response.headersSent = true;
    jest.advanceTimersByTime(100);
    expect(closed.sent.status).toBeUndefined();
    expect(answered.sent.status).toBeUndefined();
  });
});
