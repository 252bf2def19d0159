import { ModelUnavailableError, UpstreamError } from '@focal/contracts';
import { WorkerUnreachableError } from '../worker-unreachable.error.js';
import type { ModelPodsSource } from './model-pods.source.js';
import type { PodEndpoint } from './pod-balancer.js';
import { PodRouter } from './pod.router.js';

/** A ModelPodsSource whose ready set the test changes by hand. */
class ManualPods implements ModelPodsSource {
  pods: PodEndpoint[] = [];
  private wake: () => void = () => undefined;
  private next = new Promise<void>((r) => (this.wake = r));
  async start() {}
  stop() {}
  ready() {
    return this.pods;
  }
  changed() {
    return this.next;
  }
  set(pods: PodEndpoint[]) {
    this.pods = pods;
    const wake = this.wake;
    this.next = new Promise<void>((r) => (this.wake = r));
    wake();
  }
}

const pod = (n: number): PodEndpoint => ({ name: `p${n}`, endpoint: `http://127.0.10.${n}:8080` });
const later = (ms: number) => Date.now() + ms;

describe('PodRouter', () => {
  it('holds a request until a pod is ready, then sends it there', async () => {
    const pods = new ManualPods();
    const router = new PodRouter(pods);
    const events: string[] = [];
    const call = router.dispatch('m', { deadline: later(10_000) }, async (endpoint) => {
      events.push(`call ${endpoint}`);
      return 'ok';
    });
    await new Promise((r) => setImmediate(r));
    events.push('pod ready');
    pods.set([pod(2)]);
    await expect(call).resolves.toBe('ok');
    expect(events).toEqual(['pod ready', 'call http://127.0.10.2:8080']);
  });

  it('retries once on another pod when the first is unreachable', async () => {
    const pods = new ManualPods();
    pods.set([pod(1), pod(2)]);
    const router = new PodRouter(pods);
    const tried: string[] = [];
    const result = await router.dispatch('m', { deadline: later(1000) }, async (endpoint) => {
      tried.push(endpoint);
      if (tried.length === 1) throw new WorkerUnreachableError('connection refused');
      return endpoint;
    });
    expect(tried).toHaveLength(2);
    expect(new Set(tried).size).toBe(2);
    expect(result).toBe(tried[1]);
  });

  it('does not retry a second time, nor after an error that may have run the work', async () => {
    const pods = new ManualPods();
    pods.set([pod(1), pod(2), pod(3)]);
    const router = new PodRouter(pods);
    let calls = 0;
    await expect(
      router.dispatch('m', { deadline: later(1000) }, async () => {
        calls++;
        throw new WorkerUnreachableError('refused');
      }),
    ).rejects.toBeInstanceOf(WorkerUnreachableError);
    expect(calls).toBe(2);
    calls = 0;
    await expect(
      router.dispatch('m', { deadline: later(1000) }, async () => {
        calls++;
        throw new UpstreamError('timed out');
      }),
    ).rejects.toThrow('timed out');
    expect(calls).toBe(1);
  });

  it('gives up with 503 at the deadline when no pod is ready', async () => {
    const router = new PodRouter(new ManualPods());
    await expect(router.dispatch('m', { deadline: later(30) }, async () => 'never')).rejects.toBeInstanceOf(
      ModelUnavailableError,
    );
  });

  it('keeps the same affinity key on one pod across calls', async () => {
    const pods = new ManualPods();
    pods.set([pod(1), pod(2), pod(3)]);
    const router = new PodRouter(pods);
    const served = new Set<string>();
    for (let i = 0; i < 5; i++) {
      served.add(await router.dispatch('m', { deadline: later(1000), affinityKey: () => 'img' }, async (e) => e));
    }
    expect(served.size).toBe(1);
  });
});
