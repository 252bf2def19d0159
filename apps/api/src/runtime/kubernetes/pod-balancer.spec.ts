import { PodBalancer, type PodEndpoint } from './pod-balancer.js';

const pod = (n: number): PodEndpoint => ({ name: `p${n}`, endpoint: `http://127.0.10.${n}:8080` });
const none = new Set<string>();

describe('PodBalancer', () => {
  it('sends each request to the pod with the fewest in flight', () => {
    const balancer = new PodBalancer();
    const pods = [pod(1), pod(2), pod(3)];
    const picked: string[] = [];
    for (let i = 0; i < 6; i++) {
      const chosen = balancer.pick(pods, undefined, none);
      if (!chosen) throw new Error('no pod');
      balancer.begin(chosen);
      picked.push(chosen.name);
    }
    // Two each: never a third on one pod while another has fewer.
    expect(picked.slice(0, 3).sort()).toEqual(['p1', 'p2', 'p3']);
    expect(pods.map((p) => balancer.inFlight(p.endpoint))).toEqual([2, 2, 2]);
    balancer.end(pods[1] as PodEndpoint);
    expect(balancer.pick(pods, undefined, none)?.name).toBe('p2');
  });

  it('keeps an affinity key on the pod that served it while that pod is ready', () => {
    const balancer = new PodBalancer();
    const pods = [pod(1), pod(2)];
    balancer.served('image-a', pods[1] as PodEndpoint);
    balancer.begin(pods[1] as PodEndpoint);
    balancer.begin(pods[1] as PodEndpoint);
    // Busier, but it holds the embedding for image-a.
    expect(balancer.pick(pods, 'image-a', none)?.name).toBe('p2');
    // Gone from the ready set: the key falls back to least in flight.
    expect(balancer.pick([pods[0] as PodEndpoint], 'image-a', none)?.name).toBe('p1');
    expect(balancer.pick(pods, 'image-b', none)?.name).toBe('p1');
  });

  it('skips excluded pods and answers undefined when none is left', () => {
    const balancer = new PodBalancer();
    const pods = [pod(1), pod(2)];
    expect(balancer.pick(pods, undefined, new Set([pod(1).endpoint]))?.name).toBe('p2');
    expect(balancer.pick(pods, undefined, new Set(pods.map((p) => p.endpoint)))).toBeUndefined();
    expect(balancer.pick([], undefined, none)).toBeUndefined();
  });

  it('forgets the oldest affinity key beyond its bound', () => {
    const balancer = new PodBalancer(2);
    const pods = [pod(1), pod(2)];
    balancer.served('a', pods[1] as PodEndpoint);
    balancer.served('b', pods[1] as PodEndpoint);
    balancer.served('c', pods[1] as PodEndpoint);
    balancer.begin(pods[1] as PodEndpoint);
    expect(balancer.pick(pods, 'a', none)?.name).toBe('p1');
    expect(balancer.pick(pods, 'c', none)?.name).toBe('p2');
  });
});
