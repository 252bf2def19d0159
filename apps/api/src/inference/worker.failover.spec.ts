import { InvalidInputError, type ModelType, UpstreamError } from '@focal/contracts';
import { MetricsRegistry } from '@focal/platform';
import { ApiMetrics } from '../metrics/api.metrics.js';
import type { ModelManagerService } from '../models/model-manager.service.js';
import type { EndpointCall } from '../runtime/model-dispatch.js';
import { type ModelRuntime, type RuntimeModelStatus, unloadedStatus } from '../runtime/model-runtime.port.js';
import { WorkerUnreachableError } from '../runtime/worker-unreachable.error.js';
import { WorkerFailover } from './worker.failover.js';

function ready(endpoint: string, type: ModelType = 'dinov3'): RuntimeModelStatus {
  return {
    ...unloadedStatus(type),
    state: 'ready',
    modelId: 'demo',
    device: 'cpu',
    requestedDevice: 'cpu',
    replicas: 1,
    readyReplicas: 1,
    endpoint,
  };
}

/** A runtime whose replicas are endpoints; `dead` ones fail calls and report themselves gone. */
class FakeRuntime implements Partial<ModelRuntime> {
  current: RuntimeModelStatus = ready('http://w1');
  readonly dead = new Set<string>();
  readonly failedReports: string[] = [];

  async dispatch<T>(model: RuntimeModelStatus, _options: unknown, call: EndpointCall<T>): Promise<T> {
    return call(model.endpoint as string);
  }

  async replicaFailed(_model: RuntimeModelStatus, endpoint: string): Promise<boolean> {
    this.failedReports.push(endpoint);
    if (!this.dead.has(endpoint)) return false;
    this.current = { ...this.current, state: 'failed', endpoint: null, readyReplicas: 0 };
    return true;
  }

  async status(): Promise<RuntimeModelStatus> {
    return this.current;
  }
}

function setup() {
  const runtime = new FakeRuntime();
  const loads: unknown[] = [];
  const models = {
    load: async (type: ModelType, request: unknown) => {
      loads.push({ type, request });
      runtime.current = ready('http://w2', type);
      return runtime.current;
    },
  } as unknown as ModelManagerService;
  const metrics = new ApiMetrics(new MetricsRegistry('test'));
  const failover = new WorkerFailover(runtime as unknown as ModelRuntime, models, metrics);
  const count = async (outcome: string) =>
    (await metrics.inferenceFailovers.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
  return { runtime, loads, failover, count };
}

const options = { deadline: Date.now() + 60_000 };

describe('WorkerFailover', () => {
  it('sends a call whose worker died once more, to the worker restarted with the same spec', async () => {
    const { runtime, loads, failover, count } = setup();
    runtime.dead.add('http://w1');
    const calls: string[] = [];
    const result = await failover.dispatch(runtime.current, options, async (endpoint) => {
      calls.push(endpoint);
      if (runtime.dead.has(endpoint)) throw new WorkerUnreachableError('connection reset');
      return { served_by: endpoint };
    });
    expect(result).toEqual({ served_by: 'http://w2' });
    expect(calls).toEqual(['http://w1', 'http://w2']);
    expect(loads).toEqual([{ type: 'dinov3', request: { modelId: 'demo', device: 'cpu', wait: true } }]);
    expect(await count('served')).toBe(1);
  });

  it('retries a socket error that is not typed (a body cut off mid-read) when the worker is gone', async () => {
    const { runtime, failover } = setup();
    runtime.dead.add('http://w1');
    const result = await failover.dispatch(runtime.current, options, async (endpoint) => {
      if (runtime.dead.has(endpoint)) throw new TypeError('terminated');
      return endpoint;
    });
    expect(result).toBe('http://w2');
  });

  it('does not retry a typed answer of a live worker (4xx), nor ask whether it died', async () => {
    const { runtime, failover, count } = setup();
    const refusal = new InvalidInputError('images[0] could not be decoded');
    await expect(
      failover.dispatch(runtime.current, options, async () => {
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(runtime.failedReports).toEqual([]);
    expect(await count('served')).toBe(0);
  });

  it('does not retry a 5xx from a worker that still answers /readyz', async () => {
    const { runtime, loads, failover } = setup();
    const fault = new UpstreamError('inference service failed: timed out');
    let calls = 0;
    await expect(
      failover.dispatch(runtime.current, options, async () => {
        calls++;
        throw fault;
      }),
    ).rejects.toBe(fault);
    expect(runtime.failedReports).toEqual(['http://w1']);
    expect({ calls, loads }).toEqual({ calls: 1, loads: [] });
  });

  it('does not bring back a model that was unloaded while the call ran', async () => {
    const { runtime, loads, failover } = setup();
    runtime.dead.add('http://w1');
    const reset = new WorkerUnreachableError('connection reset');
    const unloadedMeanwhile = async (): Promise<never> => {
      runtime.current = unloadedStatus('dinov3');
      throw reset;
    };
    runtime.replicaFailed = async () => true;
    await expect(failover.dispatch(runtime.current, options, unloadedMeanwhile)).rejects.toBe(reset);
    expect(loads).toEqual([]);
  });

  it('retries once only: a second failure is the answer, counted as a failed failover', async () => {
    const { runtime, failover, count } = setup();
    runtime.dead.add('http://w1');
    const calls: string[] = [];
    await expect(
      failover.dispatch(runtime.current, options, async (endpoint) => {
        calls.push(endpoint);
        throw new WorkerUnreachableError(`reset at ${endpoint}`);
      }),
    ).rejects.toThrow('reset at http://w2');
    expect(calls).toEqual(['http://w1', 'http://w2']);
    expect(await count('failed')).toBe(1);
  });
});
