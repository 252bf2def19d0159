import type { AutoscalingStatus, ModelDeployment } from '@focal/contracts';
import type { AutoscalerApi } from '../cluster/cluster.ports.js';
import type { Clock } from '../common/clock.js';
import type { OperatorLog } from '../common/operator-log.js';
import { parseObjectKey } from '../controller/object-key.js';
import type { EventRecorder } from '../events/event.recorder.js';
import { canonicalJson } from '../builders/spec-hash.js';
import { kubeTimestamp } from '../status/model-deployment.status.js';
import type { LoadSnapshot } from './api-load.scraper.js';
import type { AutoscalerMetrics } from './autoscaler.metrics.js';
import { LoadWindow } from './load.window.js';
import { decideReplicas, policyOf, type DecisionMemory } from './replica.decision.js';

export interface AutoscaleResult {
  found: boolean;
  autoscaled?: boolean;
  /** false when no API pod could be scraped (or none serves this namespace): nothing was decided. */
  measured?: boolean;
  desired?: number;
  scaled?: boolean;
  statusWritten?: boolean;
}

interface KeyState {
  window: LoadWindow;
  memory: DecisionMemory;
  lastSampleAt?: number;
}

const DEFAULT_REPLICAS = 1;
const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * One autoscaling pass over a ModelDeployment: add the newest scraped load of its model type to its moving
 * window, decide (replica.decision.ts), write spec.replicas through the scale subresource when the decision
 * differs from it (with an Event), and write status.autoscaling when it differs. Only the autoscaling part of
 * the status is touched; the rest is the main reconciler's. Without spec.autoscaling nothing is scaled, so
 * `kubectl scale` is the only writer of the replica count.
 */
export class AutoscalerReconciler {
  private readonly state = new Map<string, KeyState>();

  constructor(
    private readonly api: AutoscalerApi,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
    private readonly log: OperatorLog,
    private readonly options: { windowMs: number; apiNamespace: string },
    private readonly latestLoad: () => LoadSnapshot | undefined,
    private readonly metrics?: AutoscalerMetrics,
  ) {}

  async reconcile(key: string): Promise<AutoscaleResult> {
    const { namespace, name } = parseObjectKey(key);
    const md = await this.api.getModelDeployment(namespace, name);
    if (!md || md.metadata.deletionTimestamp) {
      this.state.delete(key);
      this.metrics?.forget(key);
      return { found: false };
    }
    const spec = md.spec.autoscaling;
    if (!spec) {
      this.state.delete(key);
      this.metrics?.forget(key);
      const statusWritten = md.status?.autoscaling !== undefined && (await this.writeStatus(md, undefined));
      return { found: true, autoscaled: false, statusWritten };
    }
    const snapshot = this.latestLoad();
    if (!snapshot || namespace !== this.options.apiNamespace) return { found: true, autoscaled: true, measured: false };

    const state = this.stateOf(key);
    if (state.lastSampleAt !== snapshot.at) {
      state.window.add(snapshot.at, snapshot.inFlight.get(md.spec.modelType) ?? 0);
      state.lastSampleAt = snapshot.at;
    }
    const now = this.clock.now();
    const current = md.spec.replicas ?? DEFAULT_REPLICAS;
    const decision = decideReplicas(
      {
        policy: policyOf(spec),
        currentReplicas: current,
        latest: state.window.latest,
        average: state.window.average,
        now: now.getTime(),
      },
      state.memory,
    );
    state.memory = decision.memory;
    this.metrics?.desiredReplicas.set({ model_deployment: key }, decision.desired);
    this.metrics?.inFlight.set({ model_deployment: key }, state.window.average);
    const previous = md.status?.autoscaling;
    const status: AutoscalingStatus = {
      desiredReplicas: decision.desired,
      currentReplicas: md.status?.replicas ?? 0,
      inFlight: round2(state.window.average),
      ...(previous?.lastScaleTime ? { lastScaleTime: previous.lastScaleTime } : {}),
      ...(previous?.reason ? { reason: previous.reason } : {}),
      ...(previous?.message ? { message: previous.message } : {}),
    };
    let scaled = false;
    let target = md;
    if (decision.desired !== current && decision.reason) {
      scaled = await this.scale(namespace, name, decision.desired);
      this.metrics?.scales.inc({ reason: decision.reason });
      Object.assign(status, { lastScaleTime: kubeTimestamp(now), reason: decision.reason, message: decision.message });
      this.log.log({
        msg: 'autoscaled',
        model_deployment: key,
        from: current,
        to: decision.desired,
        reason: decision.reason,
        detail: decision.message,
      });
      await this.events.record(
        md,
        'Normal',
        decision.reason,
        `Scaled from ${current} to ${decision.desired}: ${decision.message}`,
      );
      // The scale write changed the resource's version: the status write must start from the new one.
      target = (await this.api.getModelDeployment(namespace, name)) ?? md;
    }
    const statusWritten = await this.writeStatus(target, status);
    return { found: true, autoscaled: true, measured: true, desired: decision.desired, scaled, statusWritten };
  }

  /** Forgets what was learnt about ModelDeployments (a new leader starts from fresh windows). */
  reset(): void {
    this.state.clear();
  }

  private stateOf(key: string): KeyState {
    let state = this.state.get(key);
    if (!state) {
      state = { window: new LoadWindow(this.options.windowMs), memory: {} };
      this.state.set(key, state);
    }
    return state;
  }

  /** Through the scale subresource, conditional on its resourceVersion; false when it already had that count. */
  private async scale(namespace: string, name: string, replicas: number): Promise<boolean> {
    const scale = await this.api.getModelDeploymentScale(namespace, name);
    if (!scale || scale.spec?.replicas === replicas) return false;
    await this.api.replaceModelDeploymentScale(namespace, name, { ...scale, spec: { ...scale.spec, replicas } });
    return true;
  }

  private async writeStatus(md: ModelDeployment, autoscaling: AutoscalingStatus | undefined): Promise<boolean> {
    if (canonicalJson(md.status?.autoscaling ?? null) === canonicalJson(autoscaling ?? null)) return false;
    const { autoscaling: _previous, ...rest } = md.status ?? {};
    await this.api.replaceModelDeploymentStatus({ ...md, status: autoscaling ? { ...rest, autoscaling } : rest });
    return true;
  }
}
