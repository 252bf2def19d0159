import type { ModelPodConfig } from '@focal/config';
import type { ModelDeployment, ModelDeploymentPhase } from '@focal/contracts';
import type { ReconcilerApi } from '../cluster/cluster.ports.js';
import { isConflict } from '../cluster/kube-api.error.js';
import type { DeploymentObject, ObjectMeta, PodObject, ServiceObject } from '../cluster/kube-objects.js';
import { buildDeployment } from '../builders/deployment.builder.js';
import {
  childNameProblem,
  isControlledBy,
  selectorString,
  SPEC_HASH_ANNOTATION,
} from '../builders/model-workload.names.js';
import { buildService } from '../builders/service.builder.js';
import type { Clock } from '../common/clock.js';
import { errorMessage, type OperatorLog } from '../common/operator-log.js';
import type { EventRecorder } from '../events/event.recorder.js';
import type { ChildKind, OperatorMetrics } from '../observability/operator.metrics.js';
import { computeStatus, statusEquals, type StatusBlocker } from '../status/model-deployment.status.js';
import { parseObjectKey } from './object-key.js';

/** Passes over one key when writes keep hitting 409 before the failure goes to the queue's backoff. */
export const CONFLICT_ATTEMPTS = 5;

export type ChildOutcome = 'created' | 'updated' | 'unchanged' | 'foreign';

export interface ReconcileResult {
  /** false when the ModelDeployment is gone or being deleted: its children go with it (ownerReferences). */
  found: boolean;
  phase?: ModelDeploymentPhase;
  deployment?: ChildOutcome;
  service?: ChildOutcome;
  statusWritten?: boolean;
  /** Passes that ended in a 409 and were retried from a fresh read. */
  conflicts: number;
}

interface ChildOps<T> {
  get(namespace: string, name: string): Promise<T | undefined>;
  create(namespace: string, object: T): Promise<T>;
  replace(namespace: string, name: string, object: T): Promise<T>;
  /** The object to PUT: the existing one with the operator's fields replaced by the desired ones. */
  merge(existing: T, desired: T): T;
}

type Child = { metadata: ObjectMeta };

/**
 * One pass over a ModelDeployment: read it, build the desired Deployment and Service, create them
 * or update them when their spec hash differs, read the pods, then write the status if it changed. A 409 anywhere
 * means something else wrote in between, so the pass starts over from a fresh read.
 */
export class ModelDeploymentReconciler {
  private readonly deploymentOps: ChildOps<DeploymentObject>;
  private readonly serviceOps: ChildOps<ServiceObject>;

  constructor(
    private readonly api: ReconcilerApi,
    private readonly pods: ModelPodConfig,
    private readonly events: EventRecorder,
    private readonly metrics: OperatorMetrics,
    private readonly clock: Clock,
    private readonly log: OperatorLog,
  ) {
    this.deploymentOps = {
      get: (ns, name) => api.getDeployment(ns, name),
      create: (ns, object) => api.createDeployment(ns, object),
      replace: (ns, name, object) => api.replaceDeployment(ns, name, object),
      merge: (existing, desired) => ({ ...existing, metadata: mergeMetadata(existing, desired), spec: desired.spec }),
    };
    this.serviceOps = {
      get: (ns, name) => api.getService(ns, name),
      create: (ns, object) => api.createService(ns, object),
      replace: (ns, name, object) => api.replaceService(ns, name, object),
      // The allocated clusterIP(s) and server defaults are immutable or not ours; keep them.
      merge: (existing, desired) => ({
        ...existing,
        metadata: mergeMetadata(existing, desired),
        spec: { ...existing.spec, ...desired.spec },
      }),
    };
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const { namespace, name } = parseObjectKey(key);
    for (let attempt = 1; ; attempt++) {
      try {
        return { ...(await this.pass(namespace, name)), conflicts: attempt - 1 };
      } catch (error) {
        if (!isConflict(error) || attempt >= CONFLICT_ATTEMPTS) throw error;
        this.log.debug({ msg: 'conflict, re-reading', key, attempt, error: errorMessage(error) });
      }
    }
  }

  private async pass(namespace: string, name: string): Promise<Omit<ReconcileResult, 'conflicts'>> {
    const md = await this.api.getModelDeployment(namespace, name);
    if (!md || md.metadata.deletionTimestamp) return { found: false };

    let blocker: StatusBlocker | undefined;
    let deployment: DeploymentObject | undefined;
    let deploymentOutcome: ChildOutcome | undefined;
    let serviceOutcome: ChildOutcome | undefined;
    const nameProblem = childNameProblem(md);
    if (nameProblem) {
      blocker = { reason: 'InvalidName', message: nameProblem };
    } else {
      const synced = await this.sync(md, 'Deployment', buildDeployment(md, this.pods), this.deploymentOps);
      deploymentOutcome = synced.outcome;
      deployment = synced.outcome === 'foreign' ? undefined : synced.object;
      const service = await this.sync(md, 'Service', buildService(md), this.serviceOps);
      serviceOutcome = service.outcome;
      const foreign = [synced, service].find((s) => s.outcome === 'foreign');
      if (foreign) {
        blocker = {
          reason: 'ChildNotOwned',
          message: `${foreign.kind} ${foreign.object.metadata.name} exists but is not controlled by this ModelDeployment; delete or rename it`,
        };
      }
    }

    const pods: PodObject[] = deployment && !blocker ? await this.api.listPods(namespace, selectorString(md)) : [];
    const computed = computeStatus(md, deployment, this.clock.now(), blocker, pods);
    // status.autoscaling belongs to the autoscaler (autoscaling/autoscaler.reconciler.ts): carried over as is.
    const autoscaling = md.status?.autoscaling;
    const status = autoscaling ? { ...computed, autoscaling } : computed;
    const previousPhase = md.status?.phase;
    if (statusEquals(md.status, status)) {
      return {
        found: true,
        phase: status.phase,
        deployment: deploymentOutcome,
        service: serviceOutcome,
        statusWritten: false,
      };
    }
    await this.api.replaceModelDeploymentStatus({ ...md, status });
    this.metrics.statusWrites.inc();
    if (status.phase !== previousPhase) {
      this.log.log({
        msg: 'phase changed',
        model_deployment: `${namespace}/${name}`,
        from: previousPhase,
        to: status.phase,
      });
      const type = status.phase === 'Failed' ? 'Warning' : 'Normal';
      await this.events.record(md, type, `Model${status.phase}`, status.message ?? `Phase ${status.phase}`);
    }
    return {
      found: true,
      phase: status.phase,
      deployment: deploymentOutcome,
      service: serviceOutcome,
      statusWritten: true,
    };
  }

  private async sync<T extends Child>(
    md: ModelDeployment,
    kind: ChildKind,
    desired: T,
    ops: ChildOps<T>,
  ): Promise<{ kind: ChildKind; outcome: ChildOutcome; object: T }> {
    const namespace = md.metadata.namespace ?? 'default';
    const name = desired.metadata.name ?? '';
    const existing = await ops.get(namespace, name);
    if (!existing) {
      const created = await ops.create(namespace, desired);
      await this.written(md, kind, 'create', `Created ${kind} ${name}`);
      return { kind, outcome: 'created', object: created };
    }
    if (!isControlledBy(existing.metadata, md)) {
      return { kind, outcome: 'foreign', object: existing };
    }
    const wanted = desired.metadata.annotations?.[SPEC_HASH_ANNOTATION];
    if (existing.metadata.annotations?.[SPEC_HASH_ANNOTATION] === wanted) {
      return { kind, outcome: 'unchanged', object: existing };
    }
    const updated = await ops.replace(namespace, name, ops.merge(existing, desired));
    await this.written(md, kind, 'update', `Updated ${kind} ${name} (spec hash ${wanted})`);
    return { kind, outcome: 'updated', object: updated };
  }

  private async written(
    md: ModelDeployment,
    kind: ChildKind,
    action: 'create' | 'update',
    message: string,
  ): Promise<void> {
    this.metrics.childWrites.inc({ kind, action });
    this.log.log({ msg: message, model_deployment: `${md.metadata.namespace}/${md.metadata.name}` });
    await this.events.record(md, 'Normal', `${action === 'create' ? 'Created' : 'Updated'}${kind}`, message);
  }
}

/** The existing metadata (resourceVersion, others' labels and annotations) with the operator's own fields set. */
function mergeMetadata(existing: Child, desired: Child): ObjectMeta {
  return {
    ...existing.metadata,
    labels: { ...existing.metadata.labels, ...desired.metadata.labels },
    annotations: { ...existing.metadata.annotations, ...desired.metadata.annotations },
    ownerReferences: [
      ...(existing.metadata.ownerReferences ?? []).filter(
        (ref) => !desired.metadata.ownerReferences?.some((own) => own.uid === ref.uid),
      ),
      ...(desired.metadata.ownerReferences ?? []),
    ],
  };
}
