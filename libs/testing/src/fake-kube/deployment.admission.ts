import { isJsonObject, jsonEqual, type JsonObject, type KubeObject } from './kube-object.js';
import { formatLabelSelector, parseLabelSelector } from './label-selector.js';
import { childObject, defaultPodSpec, objects } from './pod-spec.defaults.js';
import type { ValidationCause } from './resource-type.js';

/** apps/v1 Deployment defaulting and the validation rules a controller can break. */
export function admitDeployment(object: KubeObject): ValidationCause[] {
  const spec = childObject(object, 'spec');
  defaultDeploymentSpec(spec);
  return [...validateReplicas(spec), ...validateSelector(spec), ...validateContainers(spec)];
}

/** The selector is immutable in apps/v1. */
export function admitDeploymentUpdate(next: KubeObject, previous: KubeObject): ValidationCause[] {
  const selector = (o: KubeObject) => (isJsonObject(o.spec) ? o.spec.selector : undefined);
  if (jsonEqual(selector(next), selector(previous))) return [];
  return [{ field: 'spec.selector', message: 'Invalid value: field is immutable' }];
}

function defaultDeploymentSpec(spec: JsonObject): void {
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  const strategy = childObject(spec, 'strategy');
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = childObject(strategy, 'rollingUpdate');
    rollingUpdate.maxUnavailable ??= '25%';
    rollingUpdate.maxSurge ??= '25%';
  }
  defaultPodSpec(childObject(childObject(spec, 'template'), 'spec'));
}

function validateReplicas(spec: JsonObject): ValidationCause[] {
  const replicas = spec.replicas;
  if (typeof replicas === 'number' && Number.isInteger(replicas) && replicas >= 0) return [];
  return [
    {
      field: 'spec.replicas',
      message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
    },
  ];
}

function validateSelector(spec: JsonObject): ValidationCause[] {
  const selector = spec.selector;
  if (!isJsonObject(selector) || formatLabelSelector(selector) === '') {
    return [{ field: 'spec.selector', message: 'Required value' }];
  }
  const template = isJsonObject(spec.template) ? spec.template : {};
  const labels = isJsonObject(template.metadata) ? (template.metadata.labels as Record<string, string>) : undefined;
  if (parseLabelSelector(formatLabelSelector(selector))(labels)) return [];
  return [{ field: 'spec.template.metadata.labels', message: '`selector` does not match template `labels`' }];
}

function validateContainers(spec: JsonObject): ValidationCause[] {
  const podSpec = childObject(childObject(spec, 'template'), 'spec');
  const containers = objects(podSpec.containers);
  if (containers.length === 0) return [{ field: 'spec.template.spec.containers', message: 'Required value' }];
  return containers.flatMap((container, i) => [
    ...(typeof container.name === 'string' && container.name !== ''
      ? []
      : [{ field: `spec.template.spec.containers[${i}].name`, message: 'Required value' }]),
    ...(typeof container.image === 'string' && container.image !== ''
      ? []
      : [{ field: `spec.template.spec.containers[${i}].image`, message: 'Required value' }]),
  ]);
}
