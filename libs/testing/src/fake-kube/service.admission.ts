import { isJsonObject, type JsonObject, type KubeObject } from './kube-object.js';
import { childObject, objects } from './pod-spec.defaults.js';
import type { ValidationCause } from './resource-type.js';

const ALLOCATED_FIELDS = ['clusterIP', 'clusterIPs'];

/**
 * core/v1 Service admission: ClusterIP allocation from 10.96.0.0/16 (kept across updates that
 * omit it, as the real REST layer does), defaults, and port validation.
 */
export class ServiceAdmission {
  private nextAddress = 10;

  readonly admit = (object: KubeObject): ValidationCause[] => {
    const spec = childObject(object, 'spec');
    this.defaultSpec(spec);
    return validatePorts(spec);
  };

  readonly admitUpdate = (next: KubeObject, previous: KubeObject): ValidationCause[] => {
    const spec = childObject(next, 'spec');
    const before = isJsonObject(previous.spec) ? previous.spec : {};
    if (spec.clusterIP === undefined) {
      for (const field of ALLOCATED_FIELDS) if (before[field] !== undefined) spec[field] = before[field];
      return [];
    }
    if (before.clusterIP === undefined || spec.clusterIP === before.clusterIP) return [];
    return [{ field: 'spec.clusterIP', message: 'Invalid value: field is immutable' }];
  };

  private defaultSpec(spec: JsonObject): void {
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (spec.type !== 'ExternalName') {
      spec.clusterIP ??= this.allocate();
      spec.clusterIPs ??= [spec.clusterIP];
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
      spec.internalTrafficPolicy ??= 'Cluster';
    }
    for (const port of objects(spec.ports)) {
      port.protocol ??= 'TCP';
      port.targetPort ??= port.port;
    }
  }

  private allocate(): string {
    const n = this.nextAddress++;
    return `10.96.${Math.floor(n / 256) % 256}.${n % 256}`;
  }
}

function validatePorts(spec: JsonObject): ValidationCause[] {
  const ports = objects(spec.ports);
  const headless = spec.clusterIP === 'None' || spec.type === 'ExternalName';
  if (ports.length === 0) return headless ? [] : [{ field: 'spec.ports', message: 'Required value' }];
  return ports.flatMap((port, i) => [
    ...(Number.isInteger(port.port) && (port.port as number) >= 1 && (port.port as number) <= 65535
      ? []
      : [
          {
            field: `spec.ports[${i}].port`,
            message: `Invalid value: ${JSON.stringify(port.port)}: must be between 1 and 65535`,
          },
        ]),
    ...(ports.length > 1 && !port.name ? [{ field: `spec.ports[${i}].name`, message: 'Required value' }] : []),
  ]);
}
