import { readFileSync } from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import {
  apply,
  clusterEnv,
  deleteNamespace,
  freshNamespace,
  kubectl,
  kubectlJson,
  until,
} from './support/local-cluster.js';

jest.setTimeout(120_000);

/** What the node agent does for any pod the real scheduler binds to its nodes, beyond Focal's own. */
describe('node agent', () => {
  let ns: string;
  beforeAll(async () => {
    ns = await freshNamespace('agent');
  });
  afterAll(() => deleteNamespace(ns));

  const volume = (uid: string, name: string, file: string) =>
    readFileSync(path.join(clusterEnv().state, 'pods', uid, 'volumes', name, file), 'utf8');

  it('runs init containers first, resolves env from Secrets and fieldRefs, and mounts a TokenRequest token', async () => {
    await apply(
      ns,
      `apiVersion: v1
kind: Secret
metadata: {name: greeting}
stringData: {word: hello}
---
apiVersion: v1
kind: Pod
metadata: {name: probe-me}
spec:
  terminationGracePeriodSeconds: 2
  initContainers:
    - name: first
      image: focal/inference:local
      command: [sh, -c, 'echo "$WORD from $POD_IP in $NS" > /shared/greeting']
      env:
        - {name: WORD, valueFrom: {secretKeyRef: {name: greeting, key: word}}}
        - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
        - {name: NS, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
      volumeMounts: [{name: shared, mountPath: /shared}]
  containers:
    - name: main
      image: focal/inference:local
      command: [sh, -c, 'cp /var/run/secrets/kubernetes.io/serviceaccount/token /shared/token; cat /shared/greeting > /shared/seen; exec sleep 3600']
      volumeMounts: [{name: shared, mountPath: /shared}]
      readinessProbe:
        exec: {command: [test, -f, /proc/self/status]}
        periodSeconds: 1
  volumes: [{name: shared, emptyDir: {}}]
`,
    );
    const pod = await until('probe-me Ready', async () => {
      const pod = await kubectlJson(['get', 'pod', 'probe-me', '-n', ns]);
      return pod.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ? pod : undefined;
    });
    expect(pod.status.initContainerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(pod.status.conditions.find((c: any) => c.type === 'Initialized').status).toBe('True');
    const uid = pod.metadata.uid;
    const seen = await until('the main container to read the init container output', async () => {
      try {
        return volume(uid, 'shared', 'seen') || undefined;
      } catch {
        return undefined;
      }
    });
    expect(seen.trim()).toBe(`hello from ${pod.status.podIP} in ${ns}`);
    expect(pod.status.podIP).toMatch(/^127\.0\.\d+\.\d+$/);

    // The token is a real ServiceAccount token: the API server knows who it is (and RBAC gives it nothing).
    const token = volume(uid, 'shared', 'token');
    const reviewed = JSON.parse(
      await kubectl(
        ['create', '-f', '-', '-o', 'json'],
        JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }),
      ),
    );
    expect(reviewed.status.authenticated).toBe(true);
    expect(reviewed.status.user.username).toBe(`system:serviceaccount:${ns}:default`);
    expect(reviewed.status.user.extra['authentication.kubernetes.io/pod-name']).toEqual(['probe-me']);
  });

  it('on deletion stops the process and removes the pod object', async () => {
    const pod = await kubectlJson(['get', 'pod', 'probe-me', '-n', ns]);
    const pgid = Number(readFileSync(path.join(clusterEnv().state, 'pods', pod.metadata.uid, 'main.pgid'), 'utf8'));
    expect(() => process.kill(pgid, 0)).not.toThrow();
    await kubectl(['delete', 'pod', 'probe-me', '-n', ns, '--wait=true', '--timeout=60s']);
    expect((await kubectlJson<{ items: unknown[] }>(['get', 'pods', '-n', ns])).items).toHaveLength(0);
    expect(() => process.kill(pgid, 0)).toThrow();
  });
});
