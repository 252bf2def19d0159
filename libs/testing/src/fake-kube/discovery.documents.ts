import type { ResourceType } from './resource-type.js';
import type { ResourceRegistry } from './resource.registry.js';

/**
 * Discovery documents (`/api`, `/apis`, `/api/v1`, `/apis/{group}/{version}`). Generic clients such
 * as client-node's KubernetesObjectApi read them to learn whether a resource is namespaced.
 */
export function apiVersions(): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
}

export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  const byGroup = new Map<string, string[]>();
  for (const { group, version } of registry.groupVersions()) {
    if (group) byGroup.set(group, [...(byGroup.get(group) ?? []), version]);
  }
  const groups = [...byGroup].map(([name, versions]) => {
    const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
    return { name, versions: entries, preferredVersion: entries[0] };
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = registry.all().filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  const groupVersion = group ? `${group}/${version}` : version;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: types.flatMap(resourceEntries) };
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function resourceEntries(type: ResourceType): Array<Record<string, unknown>> {
  const main = {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: VERBS,
    ...(type.shortNames.length ? { shortNames: type.shortNames } : {}),
  };
  const sub = (name: string, kind: string, extra: Record<string, string> = {}) => ({
    name: `${type.plural}/${name}`,
    singularName: '',
    namespaced: type.namespaced,
    kind,
    verbs: ['get', 'patch', 'update'],
    ...extra,
  });
  return [
    main,
    ...(type.statusSubresource ? [sub('status', type.kind)] : []),
    ...(type.scale ? [sub('scale', 'Scale', { group: 'autoscaling', version: 'v1' })] : []),
  ];
}

export function versionInfo(): Record<string, unknown> {
  return { major: '1', minor: '32', gitVersion: 'v1.32.0-focal-fake', platform: 'linux/amd64' };
}
