import type { Request } from 'express';
import { RetryLaterError, type ModelType } from '@focal/contracts';
import { AdmissionRefusalHold } from './admission-refusal.hold.js';
import { AdmissionRejectedError } from './admission.queue.js';
import { RefusalPacer } from './refusal.pacer.js';

function setup(maxHoldMs = 5000) {
  let now = 1_000_000;
  const held: ModelType[] = [];
  const hold = new AdmissionRefusalHold(
    new RefusalPacer(maxHoldMs),
    (type) => held.push(type),
    () => now,
  );
  const socket = {};
  const request = (path = '/inference/dinov3', on: object = socket) =>
    ({ method: 'POST', path, socket: on }) as unknown as Request;
  return { hold, held, request, later: (ms: number) => void (now += ms) };
}

const full = new AdmissionRejectedError('dinov3 has 2 requests waiting', 1, 'queue_full');
const timedOut = new AdmissionRejectedError('dinov3: no slot within 10 s', 2, 'queue_timeout');

describe('AdmissionRefusalHold', () => {
  it('sends the first refusal on a connection at once and holds the next for the rest of its Retry-After', () => {
    const { hold, held, request, later } = setup();
    expect(hold.holdMs(request(), full)).toBe(0);
    later(300);
    expect(hold.holdMs(request(), full)).toBe(700);
    expect(held).toEqual(['dinov3']);
  });

  it('paces a connection refused after its body was read (the timed-out wait) like one shed before it', () => {
    // The filter's refusal is the first on the connection; the shedding middleware's next one is held after it.
    const { hold, request, later } = setup();
    expect(hold.holdMs(request(), timedOut)).toBe(0);
    later(500);
    expect(hold.holdMs(request(), full)).toBe(1500);
  });

  it('never holds longer than its maximum', () => {
    const { hold, request } = setup(250);
    hold.holdMs(request(), timedOut);
    expect(hold.holdMs(request(), timedOut)).toBe(250);
  });

  it('holds no other Retry-After answer, and does not count one as a refusal', () => {
    const { hold, request } = setup();
    const cold = new RetryLaterError('dinov3 is loading', 30);
    expect(hold.holdMs(request(), cold)).toBe(0);
    expect(hold.holdMs(request(), cold)).toBe(0);
    expect(hold.holdMs(request(), full)).toBe(0);
  });

  it('holds nothing off the inference routes, and keys on the connection, aliases alike', () => {
    const { hold, held, request } = setup();
    hold.holdMs(request('/inference/grounding-dino'), full);
    expect(hold.holdMs(request('/inference/grounding_dino'), full)).toBe(1000);
    expect(held).toEqual(['grounding_dino']);
    expect(hold.holdMs(request('/inference/sam3', {}), full)).toBe(0);
    expect(hold.holdMs(request('/jobs/submit/sam3'), full)).toBe(0);
  });
});
