import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import {
  apply,
  clusterEnv,
  containerLog,
  deleteNamespace,
  freshNamespace,
  kubectl,
  kubectlJson,
  until,
} from './support/local-cluster.js';

jest.setTimeout(120_000);

const isReady = (pod: any) => pod.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');

/**
 * What the nodes do for any pod the real scheduler binds to them: a real kubelet does it all (volumes, Secrets and
 * tokens, env, probes, restarts, logs, termination), over the process runtime whose containers are local processes.
 */
describe('a node: the real kubelet over the process runtime', () => {
  let ns: string;
  beforeAll(async () => {
    ns = await freshNamespace('node');
  });
  afterAll(() => deleteNamespace(ns));

  it('runs init containers first as the pod user, resolves env from Secrets and fieldRefs, mounts a bound token, serves logs', async () => {
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
  securityContext: {runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000}
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
      command: [sh, -c, 'echo "user: $(id -u) $(id -g) $(id -G)"; echo "seen: $(cat /shared/greeting)"; echo "token: $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)"; touch /shared/ready; exec sleep 3600']
      volumeMounts: [{name: shared, mountPath: /shared}]
      readinessProbe:
        exec: {command: [test, -f, /shared/ready]}
        periodSeconds: 1
  volumes: [{name: shared, emptyDir: {}}]
`,
    );
    const pod = await until('probe-me Ready', async () => {
      const pod = await kubectlJson(['get', 'pod', 'probe-me', '-n', ns]);
      return isReady(pod) ? pod : undefined;
    });
    expect(pod.status.initContainerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(pod.status.conditions.find((c: any) => c.type === 'Initialized').status).toBe('True');
    expect(pod.status.podIP).toMatch(/^127\.0\.\d+\.\d+$/);
    expect(pod.status.hostIP).toBe('127.0.0.1');

    // Through the API server, from the pod's kubelet, from the CRI log file the runtime wrote.
    const log = await containerLog(ns, { name: 'probe-me' } as any, 'main');
    expect(log).toContain(`seen: hello from ${pod.status.podIP} in ${ns}\n`);
    // The pod's user, group and fsGroup: the init container wrote the emptyDir and this one reads the token as them.
    expect(log).toContain('user: 1000 3000 3000 2000\n');

    // The token is a real ServiceAccount token: the API server knows who it is and which pod it is bound to.
    const token = /^token: (\S+)$/m.exec(log)?.[1] ?? '';
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
    const folder = path.join(clusterEnv().state, 'nodes', pod.spec.nodeName, 'runtime', 'pods', pod.metadata.uid);
    const group = path.join(folder, 'main.pgid');
    const pgid = Number(readFileSync(group, 'utf8'));
    expect(() => process.kill(-pgid, 0)).not.toThrow();
    await kubectl(['delete', 'pod', 'probe-me', '-n', ns, '--wait=true', '--timeout=60s']);
    expect((await kubectlJson<{ items: unknown[] }>(['get', 'pods', '-n', ns])).items).toHaveLength(0);
    await until('the process group to be gone', async () => {
      try {
        process.kill(-pgid, 0);
        return undefined;
      } catch {
        return true;
      }
    });
    // The runtime forgets a container's group once it has exited (its sandbox goes later, at the kubelet's GC).
    expect(existsSync(group)).toBe(false);
  });

  it('restarts a container its liveness probe fails, and says so in the pod status and events', async () => {
    await apply(
      ns,
      `apiVersion: v1
kind: Pod
metadata: {name: wilting}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: main
      image: focal/inference:local
      command: [sh, -c, 'touch /tmp/alive; sleep 2; rm /tmp/alive; exec sleep 3600']
      volumeMounts: [{name: tmp, mountPath: /tmp}]
      livenessProbe:
        exec: {command: [test, -f, /tmp/alive]}
        periodSeconds: 1
        failureThreshold: 2
  volumes: [{name: tmp, emptyDir: {}}]
`,
    );
    const pod = await until(
      'wilting restarted',
      async () => {
        const pod = await kubectlJson(['get', 'pod', 'wilting', '-n', ns]);
        return pod.status?.containerStatuses?.[0]?.restartCount >= 1 ? pod : undefined;
      },
      90_000,
    );
    // SIGTERM ends `sleep` (exit 143): the kubelet stopped it for the probe, not the program for itself.
    expect(pod.status.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 143, reason: 'Error' });
    const events = await kubectlJson<{ items: any[] }>([
      'get',
      'events',
      '-n',
      ns,
      '--field-selector',
      'involvedObject.name=wilting',
    ]);
    expect(events.items.map((e) => e.message).join('\n')).toMatch(
      /Container main failed liveness probe, will be restarted/,
    );
  });

  it('an image the node cannot run is ErrImagePull, then ImagePullBackOff, naming the image', async () => {
    await apply(
      ns,
      `apiVersion: v1
kind: Pod
metadata: {name: unknown-image}
spec:
  containers: [{name: main, image: example.com/nothing:1}]
`,
    );
    const waiting = await until('the pull to fail', async () => {
      const pod = await kubectlJson(['get', 'pod', 'unknown-image', '-n', ns]);
      const state = pod.status?.containerStatuses?.[0]?.state?.waiting;
      return ['ErrImagePull', 'ImagePullBackOff'].includes(state?.reason) ? state : undefined;
    });
    expect(waiting.message).toContain('example.com/nothing:1');
  });

  it('allocates the two GPUs of the GPU node through its device plugin, one per pod, and a third pod does not fit', async () => {
    const gpuPod = (name: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 1
  runtimeClassName: nvidia
  nodeSelector: {nvidia.com/gpu.present: "true"}
  tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
  containers:
    - name: main
      image: focal/inference-cuda:local
      command: [sh, -c, 'echo "devices=$NVIDIA_VISIBLE_DEVICES"; exec sleep 3600']
      resources: {limits: {nvidia.com/gpu: 1}}
`;
    const node = await kubectlJson(['get', 'node', 'focal-gpu-0']);
    expect(node.status.allocatable['nvidia.com/gpu']).toBe('2');
    await apply(ns, [gpuPod('gpu-a'), gpuPod('gpu-b')].join('---\n'));
    const devices: string[] = [];
    for (const name of ['gpu-a', 'gpu-b']) {
      const log = await until(`${name} to print its devices`, async () => {
        const pod = await kubectlJson(['get', 'pod', name, '-n', ns]);
        if (!isReady(pod)) return undefined;
        const text = await containerLog(ns, { name } as any, 'main');
        return text.includes('devices=') ? text : undefined;
      });
      devices.push(/^devices=(.*)$/m.exec(log)?.[1] ?? '');
    }
    // The kubelet's device manager chose a different device for each, from what the plugin advertised.
    for (const id of devices) expect(id).toMatch(/^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Set(devices).size).toBe(2);

    await apply(ns, gpuPod('gpu-c'));
    const unscheduled = await until('gpu-c to be refused by the scheduler', async () => {
      const pod = await kubectlJson(['get', 'pod', 'gpu-c', '-n', ns]);
      const condition = pod.status?.conditions?.find((c: any) => c.type === 'PodScheduled');
      return condition?.status === 'False' ? condition : undefined;
    });
    expect(unscheduled.message).toMatch(/Insufficient nvidia\.com\/gpu/);
    await kubectl(['delete', 'pod', 'gpu-a', 'gpu-b', 'gpu-c', '-n', ns, '--wait=true']);
  });
});
