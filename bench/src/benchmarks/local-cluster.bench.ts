import { performance } from 'node:perf_hooks';
import type { Benchmark, BenchOutcome } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { fmt, ratio, summarize } from '../core/stats.js';
import { postJson } from '../api/http.client.js';
import { LocalClusterDriver } from '../cluster/local-cluster.driver.js';
import { benchImage } from '../fixtures/bench-image.js';

const NS = 'bench';

interface PodList {
  items: Array<{
    metadata: { deletionTimestamp?: string };
    status?: { podIP?: string; conditions?: Array<{ type: string; status: string }> };
  }>;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const modelDeployment = (name: string, replicas: number) =>
  `apiVersion: focal.dev/v1alpha1\nkind: ModelDeployment\nmetadata: {name: ${name}}\nspec: {modelType: dinov3, modelId: demo, device: cpu, replicas: ${replicas}}\n`;

async function readyPodIp(cluster: LocalClusterDriver, selector: string): Promise<string> {
  return until(
    async () => {
      const list = await cluster.json<PodList>(['get', 'pods', '-n', NS, '-l', selector]);
      const ready = list.items.filter(
        (p) =>
          !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      return ready.length === 1 && list.items.length === 1 ? ready[0]?.status?.podIP : undefined;
    },
    120_000,
    `a ready pod ${selector}`,
  );
}

const phaseOf = async (cluster: LocalClusterDriver, name: string) =>
  (await cluster.json<{ status?: { phase?: string } }>(['get', 'md', name, '-n', NS])).status?.phase;

export const localClusterBenchmark: Benchmark = {
  name: 'local-cluster',
  title: 'Real control plane: up, kubectl apply → Ready, scale-from-zero first request, routing overhead',
  description:
    'scripts/local-cluster.sh (real kube-apiserver, controller-manager, scheduler, etcd, kubelets; pods run as processes by the process runtime) ' +
    'with the chart installed from deploy/local-cluster/values.yaml. Times a warm `up`, `kubectl apply` of a demo ' +
    'DINOv3 ModelDeployment until phase Ready, the first POST /inference/dinov3 after `kubectl scale md --replicas=0` ' +
    'against warm requests, and the routing overhead: a request through the API pod divided by the same work sent ' +
    'straight to the model pod (/v1/infer), interleaved.',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const cluster = new LocalClusterDriver();
    await cluster.script('down').catch(() => '');
    const upStart = performance.now();
    await cluster.script('up');
    const upSeconds = (performance.now() - upStart) / 1000;
    ctx.onDispose(async () => {
      await cluster.script('down');
    });
    await cluster.kubectl(['create', 'namespace', NS]);
    const installStart = performance.now();
    await cluster.helm([
      'install',
      'focal',
      'charts/focal',
      '-n',
      NS,
      '-f',
      'deploy/local-cluster/values.yaml',
      '--set',
      `redis.external.url=${cluster.redisUrl}`,
      '--wait',
      '--timeout',
      '180s',
    ]);
    const installSeconds = (performance.now() - installStart) / 1000;
    const api = `http://${await readyPodIp(cluster, 'app.kubernetes.io/component=api')}:8000`;

    const applyToReady: number[] = [];
    for (let i = 0; i < ctx.reps(5, 2); i++) {
      const name = `ready-${i}`;
      const started = performance.now();
      await cluster.kubectl(['apply', '-n', NS, '-f', '-'], modelDeployment(name, 1));
      await until(
        async () => ((await phaseOf(cluster, name)) === 'Ready' ? true : undefined),
        120_000,
        `${name} Ready`,
      );
      applyToReady.push(performance.now() - started);
      await cluster.kubectl(['delete', 'md', name, '-n', NS, '--wait=true']);
    }
    ctx.log(`apply → Ready median ${fmt(summarize(applyToReady).median)} ms`);

    const image = await benchImage(640, 480);
    const body = JSON.stringify({ images: [image.base64] });
    await postJson(`${api}/models/load`, { model_type: 'dinov3', model_id: 'demo', device: 'cpu' });
    const selector = 'app.kubernetes.io/name=focal-model,app.kubernetes.io/instance=dinov3';
    for (let i = 0; i < 5; i++) await postJson(`${api}/inference/dinov3`, body);

    const coldFirst: number[] = [];
    for (let i = 0; i < ctx.reps(3, 1); i++) {
      await cluster.kubectl(['scale', 'md', 'dinov3', '-n', NS, '--replicas=0']);
      await until(
        async () =>
          (await cluster.json<PodList>(['get', 'pods', '-n', NS, '-l', selector])).items.length === 0
            ? true
            : undefined,
        120_000,
        'dinov3 pods gone',
      );
      await until(
        async () => ((await phaseOf(cluster, 'dinov3')) === 'Unloaded' ? true : undefined),
        60_000,
        'Unloaded',
      );
      const started = performance.now();
      await postJson(`${api}/inference/dinov3`, body);
      coldFirst.push(performance.now() - started);
    }

    const pod = `http://${await readyPodIp(cluster, selector)}:8080`;
    const direct = JSON.stringify({ images: [image.base64], params: {} });
    const viaApi: number[] = [];
    const straight: number[] = [];
    for (let i = 0; i < 5; i++) await postJson(`${pod}/v1/infer`, direct);
    for (let i = 0; i < ctx.reps(60, 10); i++) {
      let t = performance.now();
      await postJson(`${api}/inference/dinov3`, body);
      viaApi.push(performance.now() - t);
      t = performance.now();
      await postJson(`${pod}/v1/infer`, direct);
      straight.push(performance.now() - t);
    }
    const warm = summarize(viaApi);
    const directSummary = summarize(straight);
    const cold = summarize(coldFirst);
    const ready = summarize(applyToReady);
    const build = cluster.firstBuildSeconds();
    return {
      figures: [
        {
          id: 'apply_to_ready.median',
          label: 'kubectl apply → phase Ready (demo DINOv3)',
          value: ready.median,
          unit: 'ms',
          detail: `median of ${ready.n}`,
        },
        {
          id: 'scale_from_zero.first_over_warm',
          label: 'first request after scale from zero / warm request',
          value: ratio(cold.median, warm.median),
          unit: 'x',
          detail: `${fmt(cold.median)} ms / ${fmt(warm.median)} ms`,
        },
        {
          id: 'routing.api_over_direct.median',
          label: 'through the API pod / straight to the model pod',
          value: ratio(warm.median, directSummary.median),
          unit: 'x',
          detail: `${fmt(warm.median)} ms / ${fmt(directSummary.median)} ms, 640×480 PNG, interleaved, n=${warm.n}`,
        },
        { id: 'up.warm_seconds', label: 'local-cluster.sh up, binaries cached', value: upSeconds * 1000, unit: 'ms' },
        ...(build === undefined
          ? []
          : [
              {
                id: 'up.first_build_seconds',
                label: 'first build of the control plane (recorded by build-control-plane.sh)',
                value: build * 1000,
                unit: 'ms' as const,
              },
            ]),
      ],
      tables: [
        {
          title: 'Local control plane (ms)',
          columns: ['measure', 'n', 'median', 'p90', 'min', 'max'],
          rows: [
            ['kubectl apply → Ready', ready.n, fmt(ready.median), fmt(ready.p90), fmt(ready.min), fmt(ready.max)],
            [
              'first request after scale from zero',
              cold.n,
              fmt(cold.median),
              fmt(cold.p90),
              fmt(cold.min),
              fmt(cold.max),
            ],
            ['warm request through the API pod', warm.n, fmt(warm.median), fmt(warm.p90), fmt(warm.min), fmt(warm.max)],
            [
              'same work straight to the model pod',
              directSummary.n,
              fmt(directSummary.median),
              fmt(directSummary.p90),
              fmt(directSummary.min),
              fmt(directSummary.max),
            ],
            ['helm install --wait', 1, fmt(installSeconds * 1000), '', '', ''],
            ['local-cluster.sh up (warm)', 1, fmt(upSeconds * 1000), '', '', ''],
          ],
        },
      ],
      notes: [
        'Pods are local processes on 127.x addresses (the process runtime under real kubelets); the control plane and kubelets are real.',
        'The first request after scale from zero includes the scale-up patch, scheduling, the process start, demo model generation and the readiness probe.',
        "The direct call sends what the API sends the worker (base64 image, params), so the ratio is the API pod's own work: JSON parse, image checks, routing, the extra hop.",
      ],
      raw: { applyToReady, coldFirst, viaApi, straight, upSeconds, installSeconds, firstBuildSeconds: build },
    };
  },
};
