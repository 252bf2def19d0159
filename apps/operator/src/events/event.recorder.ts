import type { ModelDeployment } from '@focal/contracts';
import type { EventApi } from '../cluster/cluster.ports.js';
import type { EventObject, EventType } from '../cluster/kube-objects.js';
import type { Clock } from '../common/clock.js';
import { errorMessage, type OperatorLog } from '../common/operator-log.js';
import { kubeTimestamp } from '../status/model-deployment.status.js';

export const EVENT_COMPONENT = 'focal-operator';

/**
 * Creates core/v1 Events about a ModelDeployment, which `kubectl describe md` lists. Recording is
 * best effort: a failed Event is logged and never fails the reconcile that reported it.
 */
export class EventRecorder {
  private sequence = 0;

  constructor(
    private readonly api: EventApi,
    private readonly instance: string,
    private readonly clock: Clock,
    private readonly log: OperatorLog,
  ) {}

  async record(md: ModelDeployment, type: EventType, reason: string, message: string): Promise<void> {
    const { name = '', namespace = 'default', uid, resourceVersion } = md.metadata;
    const now = this.clock.now();
    const timestamp = kubeTimestamp(now);
    // Unique like client-go's `<name>.<unix nanos in hex>`; the sequence separates events within one millisecond.
    const suffix = (BigInt(now.getTime()) * 1_000_000n + BigInt(this.sequence++ % 1_000_000)).toString(16);
    const event: EventObject = {
      metadata: { name: `${name.slice(0, 230)}.${suffix}`, namespace },
      involvedObject: { apiVersion: md.apiVersion, kind: md.kind, name, namespace, uid, resourceVersion },
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      source: { component: EVENT_COMPONENT, host: this.instance },
      reportingComponent: `focal.dev/${EVENT_COMPONENT}`,
      reportingInstance: this.instance,
    };
    try {
      await this.api.createEvent(namespace, event);
    } catch (error) {
      this.log.warn({
        msg: 'could not record event',
        reason,
        object: `${namespace}/${name}`,
        error: errorMessage(error),
      });
    }
  }
}
