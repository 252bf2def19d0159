import { isJsonObject, type JsonObject } from './kube-object.js';

/**
 * A subset of the defaults the API server writes into pod specs. They matter to controllers:
 * an object read back never equals the one sent, so comparing specs field by field would loop.
 */
export function defaultPodSpec(spec: JsonObject): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const container of [...objects(spec.containers), ...objects(spec.initContainers)]) defaultContainer(container);
  for (const volume of objects(spec.volumes)) defaultVolume(volume);
}

function defaultContainer(container: JsonObject): void {
  container.terminationMessagePath ??= '/dev/termination-log';
  container.terminationMessagePolicy ??= 'File';
  container.imagePullPolicy ??= pullPolicyFor(String(container.image ?? ''));
  container.resources ??= {};
  for (const port of objects(container.ports)) port.protocol ??= 'TCP';
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const value = container[probe];
    if (isJsonObject(value)) defaultProbe(value);
  }
}

function defaultProbe(probe: JsonObject): void {
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (isJsonObject(probe.httpGet)) probe.httpGet.scheme ??= 'HTTP';
}

function defaultVolume(volume: JsonObject): void {
  for (const source of ['secret', 'configMap']) {
    const value = volume[source];
    if (isJsonObject(value)) value.defaultMode ??= 420;
  }
}

/** Always for `:latest` or an untagged image, IfNotPresent otherwise (digests included). */
function pullPolicyFor(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.lastIndexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/** The object at `parent[key]`, created empty when missing. */
export function childObject(parent: JsonObject, key: string): JsonObject {
  if (!isJsonObject(parent[key])) parent[key] = {};
  return parent[key] as JsonObject;
}
