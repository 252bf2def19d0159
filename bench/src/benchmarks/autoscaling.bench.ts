import { performance } from 'node:perf_hooks';
import type { Benchmark, BenchOutcome } from '../core/benchmark.js';
import type { BenchContext } from '../core/bench-context.js';
import { fmt, summarize } from '../core/stats.js';
import { postJson } from '../api/http.client.js';
import { LocalClusterDriver } from '../cluster/local-cluster.driver.js';
import { benchImage } from '../fixtures/bench-image.js';

const NS = 'bench-autoscale';
const MAX = 3;
const BURST = 8;
const DELAY_SECONDS = 5;
const SELECTOR = 'app.kubernetes.io/name=focal-model,app.kubernetes.io/instance=dinov3';

interface PodList {
  items: Array<{
    metadata: { deletionTimestamp?: string };
    status?: { podIP?: string; conditions?: Array<{ type: string; status: string }> };
  }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isReady = (pod: PodList['items'][number]) =>
  !pod.metadata.deletionTimestamp &&
  Boolean(pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const autoscaledModel = () =>
  'apiVersion: focal.dev/v1alpha1\nkind: ModelDeployment\nmetadata: {name: dinov3}\n' +
  'spec: {modelType: dinov3, modelId: demo, device: cpu, replicas: 0, ' +
  `autoscaling: {maxReplicas: ${MAX}, targetInFlight: 2, scaleDownDelaySeconds: ${DELAY_SECONDS}}}\n`;

export const autoscalingBenchmark: Benchmark = {
  name: 'autoscaling',
  title: 'Autoscaling on the real control plane: a burst from 0 to N ready replicas, idle back to 0',
  description:
    `scripts/local-cluster.sh with the chart (2 API pods, operator autoscaler every 500 ms over a 2 s window). A demo ` +
    `DINOv3 ModelDeployment at 0 replicas with autoscaling {maxReplicas: ${MAX}, targetInFlight: 2, ` +
    `scaleDownDelaySeconds: ${DELAY_SECONDS}} gets a burst of ${BURST} concurrent requests split over both API pods. ` +
    `Times the burst's first request until ${MAX} model pods are Ready, and the last response until spec.replicas is 0 ` +
    'and no model pod is left.',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const cluster = new LocalClusterDriver();
    await cluster.script('down').catch(() => '');
    await cluster.script('up');
    ctx.onDispose(async () => {
      await cluster.script('down');
    });
    await cluster.kubectl(['create', 'namespace', NS]);
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
      '--set',
      'api.replicas=2',
      '--set',
      'operator.autoscaler.intervalMs=500',
      '--set',
      'operator.autoscaler.windowSeconds=2',
      '--wait',
      '--timeout',
      '180s',
    ]);
    const apis = await until(
      async () => {
        const list = await cluster.json<PodList>(['get', 'pods', '-n', NS, '-l', 'app.kubernetes.io/component=api']);
        const ready = list.items.filter(isReady);
        return ready.length === 2 ? ready.map((p) => `http://${p.status?.podIP}:8000`) : undefined;
      },
      120_000,
      'two ready API pods',
    );
    await cluster.kubectl(['apply', '-n', NS, '-f', '-'], autoscaledModel());
    const body = JSON.stringify({ images: [(await benchImage(640, 480)).base64] });
    const modelPods = () => cluster.json<PodList>(['get', 'pods', '-n', NS, '-l', SELECTOR]);
    const replicas = async () =>
      (await cluster.json<{ spec: { replicas?: number } }>(['get', 'md', 'dinov3', '-n', NS])).spec.replicas ?? 0;

    const toDecision: number[] = [];
    const toReady: number[] = [];
    const toZero: number[] = [];
    for (let i = 0; i < ctx.reps(3, 1); i++) {
      await until(
        async () => ((await replicas()) === 0 && (await modelPods()).items.length === 0 ? true : undefined),
        120_000,
        'dinov3 at zero',
      );
      const started = performance.now();
      const burst = Array.from({ length: BURST }, (_, j) => postJson(`${apis[j % 2]}/inference/dinov3`, body));
      await until(async () => ((await replicas()) === MAX ? true : undefined), 120_000, `spec.replicas ${MAX}`);
      toDecision.push(performance.now() - started);
      await until(
        async () => ((await modelPods()).items.filter(isReady).length === MAX ? true : undefined),
        180_000,
        `${MAX} ready model pods`,
      );
      toReady.push(performance.now() - started);
      await Promise.all(burst);
      const idleSince = performance.now();
      await until(
        async () => ((await replicas()) === 0 && (await modelPods()).items.length === 0 ? true : undefined),
        120_000,
        'back to zero',
      );
      toZero.push(performance.now() - idleSince);
    }
    const decision = summarize(toDecision);
    const ready = summarize(toReady);
    const zero = summarize(toZero);
    return {
      figures: [
        {
          id: 'autoscaling.burst_to_n_ready.median',
          label: `Burst's first request → ${MAX} model pods Ready (from 0), median`,
          value: ready.median,
          unit: 'ms',
          detail: `n=${ready.n}; min ${fmt(ready.min)}, max ${fmt(ready.max)} ms`,
        },
        {
          id: 'autoscaling.burst_to_decision.median',
          label: `Burst's first request → spec.replicas ${MAX}, median`,
          value: decision.median,
          unit: 'ms',
          detail: `n=${decision.n}; min ${fmt(decision.min)}, max ${fmt(decision.max)} ms`,
        },
        {
          id: 'autoscaling.idle_to_zero.median',
          label: `Last response → 0 replicas and no model pod (scaleDownDelaySeconds ${DELAY_SECONDS}), median`,
          value: zero.median,
          unit: 'ms',
          detail: `n=${zero.n}; min ${fmt(zero.min)}, max ${fmt(zero.max)} ms`,
        },
      ],
      tables: [
        {
          title: 'Autoscaling on the local control plane (ms)',
          columns: ['measure', 'n', 'median', 'min', 'max'],
          rows: [
            [
              `first request → spec.replicas ${MAX}`,
              decision.n,
              fmt(decision.median),
              fmt(decision.min),
              fmt(decision.max),
            ],
            [`first request → ${MAX} pods Ready`, ready.n, fmt(ready.median), fmt(ready.min), fmt(ready.max)],
            ['last response → 0 replicas, pods gone', zero.n, fmt(zero.median), fmt(zero.min), fmt(zero.max)],
          ],
        },
      ],
      notes: [
        `Idle to zero includes the scale-down delay (${DELAY_SECONDS} s), the 2 s averaging window draining, the ` +
          'autoscaler interval (500 ms), and the pods’ graceful termination.',
      ],
      raw: { toDecision, toReady, toZero },
    };
  },
};
