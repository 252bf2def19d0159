import { admitDeployment, admitDeploymentUpdate } from './deployment.admission.js';
import { isJsonObject, type KubeObject } from './kube-object.js';
import { formatLabelSelector } from './label-selector.js';
import { childObject, defaultPodSpec } from './pod-spec.defaults.js';
import type { ResourceType } from './resource-type.js';
import { ServiceAdmission } from './service.admission.js';

type Overrides = Partial<ResourceType>;

function builtin(
  group: string,
  version: string,
  kind: string,
  plural: string,
  overrides: Overrides = {},
): ResourceType {
  return {
    group,
    version,
    plural,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    shortNames: [],
    namespaced: true,
    statusSubresource: false,
    tracksGeneration: false,
    returnsDeletedObject: false,
    custom: false,
    nameRule: 'dns1123Subdomain',
    ...overrides,
  };
}

const deploymentScale = {
  specReplicasPath: ['spec', 'replicas'],
  statusReplicasPath: ['status', 'replicas'],
  selector: (object: KubeObject) =>
    isJsonObject(object.spec) && isJsonObject(object.spec.selector)
      ? formatLabelSelector(object.spec.selector)
      : undefined,
};

/** The built-in resources the operator and the API touch. Each server gets its own (Service IPs are per server). */
export function builtinResourceTypes(): ResourceType[] {
  const services = new ServiceAdmission();
  return [
    builtin('', 'v1', 'Pod', 'pods', {
      shortNames: ['po'],
      statusSubresource: true,
      returnsDeletedObject: true,
      admit: (pod) => {
        defaultPodSpec(childObject(pod, 'spec'));
        return [];
      },
    }),
    builtin('', 'v1', 'Service', 'services', {
      shortNames: ['svc'],
      statusSubresource: true,
      nameRule: 'dns1035Label',
      admit: services.admit,
      admitUpdate: services.admitUpdate,
    }),
    builtin('', 'v1', 'Secret', 'secrets'),
    builtin('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
    builtin('', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
    builtin('apps', 'v1', 'Deployment', 'deployments', {
      shortNames: ['deploy'],
      statusSubresource: true,
      scale: deploymentScale,
      tracksGeneration: true,
      admit: admitDeployment,
      admitUpdate: admitDeploymentUpdate,
    }),
    builtin('coordination.k8s.io', 'v1', 'Lease', 'leases'),
    builtin('events.k8s.io', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
  ];
}
