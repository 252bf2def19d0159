import type { ModelDeployment } from '@focal/contracts';
import type { AutoscalerApi, PodAddress } from '../cluster/cluster.ports.js';
import type { EventObject, ScaleObject } from '../cluster/kube-objects.js';
import { SILENT_LOG } from '../common/operator-log.js';
import { EventRecorder } from '../events/event.recorder.js';
import { modelDeployment } from '../builders/model-deployment.spec-support.js';
import { MetricsRegistry } from '@focal/platform';
import type { LoadSnapshot } from './api-load.scraper.js';
import { AutoscalerMetrics } from './autoscaler.metrics.js';
import { AutoscalerReconciler } from './autoscaler.reconciler.js';

/** One ModelDeployment kept in memory, with a resourceVersion bumped on every write, as the API server does. */
class OneModelApi implements AutoscalerApi {
  version = 1;
  scaleWrites: number[] = [];
  statusWrites = 0;
  events: EventObject[] = [];

  constructor(public md: ModelDeployment) {}

  async getModelDeployment(): Promise<ModelDeployment | undefined> {
    return structuredClone({ ...this.md, metadata: { ...this.md.metadata, resourceVersion: String(this.version) } });
  }
  async listModelDeployments(): Promise<ModelDeployment[]> {
    return [this.md];
  }
  async replaceModelDeploymentStatus(md: ModelDeployment): Promise<ModelDeployment> {
    if (md.metadata.resourceVersion !== String(this.version)) throw new Error('409 stale resourceVersion');
    this.md = { ...this.md, status: md.status };
    this.version++;
    this.statusWrites++;
    return this.md;
  }
  async getModelDeploymentScale(): Promise<ScaleObject | undefined> {
    return { metadata: { resourceVersion: String(this.version) }, spec: { replicas: this.md.spec.replicas } };
  }
  async replaceModelDeploymentScale(_ns: string, _name: string, scale: ScaleObject): Promise<ScaleObject> {
    if (scale.metadata.resourceVersion !== String(this.version)) throw new Error('409 stale resourceVersion');
    this.md = { ...this.md, spec: { ...this.md.spec, replicas: scale.spec?.replicas ?? 0 } };
    this.version++;
    this.scaleWrites.push(scale.spec?.replicas ?? 0);
    return scale;
  }
  async listPodAddresses(): Promise<PodAddress[]> {
    return [];
  }
  async createEvent(_ns: string, event: EventObject): Promise<void> {
    this.events.push(event);
  }
}

describe('AutoscalerReconciler', () => {
  let now: number;
  let load: LoadSnapshot | undefined;
  let api: OneModelApi;
  let reconciler: AutoscalerReconciler;
  let registry: MetricsRegistry;

  const at = (seconds: number, inFlight: number) => {
    now = seconds * 1000;
    load = { at: now, inFlight: new Map([['sam3', inFlight]]), scraped: 1, listed: 1 };
  };

  beforeEach(() => {
    now = 0;
    load = undefined;
    api = new OneModelApi(
      modelDeployment({ replicas: 0, autoscaling: { maxReplicas: 4, targetInFlight: 2, scaleDownDelaySeconds: 10 } }),
    );
    const clock = { now: () => new Date(now) };
    const events = new EventRecorder(api, 'operator-0', clock, SILENT_LOG);
    registry = new MetricsRegistry('operator');
    reconciler = new AutoscalerReconciler(
      api,
      events,
      clock,
      SILENT_LOG,
      { windowMs: 5_000, apiNamespace: 'focal' },
      () => load,
      new AutoscalerMetrics(registry),
    );
  });

  it('decides nothing and writes nothing before a scrape succeeded', async () => {
    expect(await reconciler.reconcile('focal/sam3')).toMatchObject({ measured: false });
    expect(api.version).toBe(1);
  });

  it('scales up through /scale with one Event and a status naming the reason, then writes nothing while steady', async () => {
    at(1, 5);
    expect(await reconciler.reconcile('focal/sam3')).toMatchObject({ desired: 3, scaled: true, statusWritten: true });
    expect(api.scaleWrites).toEqual([3]);
    expect(api.events.map((e) => [e.reason, e.message])).toEqual([
      ['ScaledUp', 'Scaled from 0 to 3: 5 in flight / targetInFlight 2 → 3 replica(s) (min 0, max 4)'],
    ]);
    expect(api.md.status?.autoscaling).toEqual({
      desiredReplicas: 3,
      currentReplicas: 0,
      inFlight: 5,
      lastScaleTime: '1970-01-01T00:00:01Z',
      reason: 'ScaledUp',
      message: '5 in flight / targetInFlight 2 → 3 replica(s) (min 0, max 4)',
    });
    const metrics = await registry.registry.metrics();
    expect(metrics).toMatch(
      /focal_operator_autoscaler_desired_replicas\{[^}]*model_deployment="focal\/sam3"[^}]*\} 3\n/,
    );
    expect(metrics).toMatch(/focal_operator_autoscaler_scales_total\{[^}]*reason="ScaledUp"[^}]*\} 1\n/);
    const version = api.version;
    // The same scrape seen again (a watch event): nothing new to write.
    expect(await reconciler.reconcile('focal/sam3')).toMatchObject({ desired: 3, scaled: false, statusWritten: false });
    expect(api.version).toBe(version);
  });

  it('scales to zero only after the load stayed at zero for scaleDownDelaySeconds', async () => {
    at(1, 6);
    await reconciler.reconcile('focal/sam3');
    for (const second of [7, 8, 12, 16]) {
      at(second, 0);
      await reconciler.reconcile('focal/sam3');
    }
    // The window (5 s) forgot the burst by 7 s: zero since then, and the delay (10 s) ends at 17 s.
    expect(api.scaleWrites).toEqual([3]);
    at(17, 0);
    expect(await reconciler.reconcile('focal/sam3')).toMatchObject({ desired: 0, scaled: true });
    expect(api.scaleWrites).toEqual([3, 0]);
    expect(api.events.map((e) => e.reason)).toEqual(['ScaledUp', 'ScaledToZero']);
    expect(api.md.status?.autoscaling).toMatchObject({ desiredReplicas: 0, reason: 'ScaledToZero' });
  });

  it('leaves replicas alone and removes its status once spec.autoscaling is gone', async () => {
    at(1, 5);
    await reconciler.reconcile('focal/sam3');
    api.md = { ...api.md, spec: { ...api.md.spec, autoscaling: undefined, replicas: 1 } };
    at(2, 50);
    expect(await reconciler.reconcile('focal/sam3')).toMatchObject({ autoscaled: false, statusWritten: true });
    expect(api.md.spec.replicas).toBe(1);
    expect(api.md.status?.autoscaling).toBeUndefined();
    expect(await reconciler.reconcile('focal/sam3')).toMatchObject({ statusWritten: false });
  });
});
