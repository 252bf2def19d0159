import { readyEndpoints, type ModelPod } from './model-pod.readiness.js';

const pod = (name: string, instance: string, ip: string | undefined, ready: boolean, deleting = false): ModelPod => ({
  metadata: {
    name,
    labels: { 'app.kubernetes.io/instance': instance },
    ...(deleting ? { deletionTimestamp: '2026-12-01T00:00:00Z' } : {}),
  },
  status: { ...(ip ? { podIP: ip } : {}), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('readyEndpoints', () => {
  it.each([
    ['a ready pod with an IP', pod('a', 'sam3', '127.0.10.2', true), ['http://127.0.10.2:8080']],
    ['a pod not Ready', pod('a', 'sam3', '127.0.10.2', false), []],
    ['a Ready pod without an IP yet', pod('a', 'sam3', undefined, true), []],
    ['a Ready pod being deleted', pod('a', 'sam3', '127.0.10.2', true, true), []],
    ['a pod of another ModelDeployment', pod('a', 'dinov3', '127.0.10.2', true), []],
    ['an IPv6 pod', pod('a', 'sam3', 'fd00::5', true), ['http://[fd00::5]:8080']],
  ])('%s', (_, input, expected) => {
    expect(readyEndpoints([input], 'sam3', 8080).map((e) => e.endpoint)).toEqual(expected);
  });

  it('orders endpoints by pod name', () => {
    const pods = [pod('c', 'm', '127.0.0.3', true), pod('a', 'm', '127.0.0.1', true), pod('b', 'm', '127.0.0.2', true)];
    expect(readyEndpoints(pods, 'm', 1).map((e) => e.name)).toEqual(['a', 'b', 'c']);
  });
});
