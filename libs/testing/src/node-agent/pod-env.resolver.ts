import { ContainerConfigError, type ContainerSpec, type ObjectLookup, type Pod } from './pod.types.js';

export interface PodAddresses {
  podIp: string;
  hostIp: string;
}

/** A downward-API field of the pod (fieldRef.fieldPath), as the kubelet resolves it. */
export function podField(pod: Pod, fieldPath: string, addresses: PodAddresses): string {
  const meta = pod.metadata;
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (keyed) return (keyed[1] === 'labels' ? meta.labels : meta.annotations)?.[keyed[2] ?? ''] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return meta.name;
    case 'metadata.namespace':
      return meta.namespace ?? 'default';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? 'default';
    case 'status.podIP':
    case 'status.podIPs':
      return addresses.podIp;
    case 'status.hostIP':
    case 'status.hostIPs':
      return addresses.hostIp;
    default:
      throw new ContainerConfigError(`unsupported fieldRef ${fieldPath}`);
  }
}

/** $(VAR) refers to a variable defined earlier; $$ escapes; unknown references stay as written. */
export function expandReferences(value: string, defined: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) =>
    name === undefined ? '$' : (defined[name] ?? match),
  );
}

/** The container's environment: envFrom first, then env in order, as the kubelet builds it. */
export async function resolveEnv(
  pod: Pod,
  container: ContainerSpec,
  addresses: PodAddresses,
  lookup: ObjectLookup,
): Promise<Record<string, string>> {
  const namespace = pod.metadata.namespace ?? 'default';
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    if (!ref) continue;
    const data = source.configMapRef
      ? await lookup.configMap(namespace, ref.name)
      : await lookup.secret(namespace, ref.name);
    if (!data) {
      if (ref.optional) continue;
      throw new ContainerConfigError(`${source.configMapRef ? 'configmap' : 'secret'} "${ref.name}" not found`);
    }
    for (const [key, value] of Object.entries(data)) env[`${source.prefix ?? ''}${key}`] = value;
  }
  for (const variable of container.env ?? []) {
    const value = await valueOf(pod, container, variable, env, addresses, lookup, namespace);
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}

async function valueOf(
  pod: Pod,
  container: ContainerSpec,
  variable: NonNullable<ContainerSpec['env']>[number],
  defined: Record<string, string>,
  addresses: PodAddresses,
  lookup: ObjectLookup,
  namespace: string,
): Promise<string | undefined> {
  const from = variable.valueFrom;
  if (!from) return expandReferences(variable.value ?? '', defined);
  if (from.fieldRef) return podField(pod, from.fieldRef.fieldPath, addresses);
  if (from.resourceFieldRef) return '0';
  const ref = from.secretKeyRef ?? from.configMapKeyRef;
  if (!ref) return undefined;
  const kind = from.secretKeyRef ? 'secret' : 'configmap';
  const data = from.secretKeyRef
    ? await lookup.secret(namespace, ref.name)
    : await lookup.configMap(namespace, ref.name);
  const value = data?.[ref.key];
  if (value !== undefined) return value;
  if (ref.optional) return undefined;
  throw new ContainerConfigError(
    data
      ? `couldn't find key ${ref.key} in ${kind === 'secret' ? 'Secret' : 'ConfigMap'} ${namespace}/${ref.name} (container ${container.name})`
      : `${kind} "${ref.name}" not found`,
  );
}
