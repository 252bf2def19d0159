import { qualifiedResource, type ResourceType } from './resource-type.js';

/** The resources the server serves, found by URL segments or by `plural.group` name. */
export class ResourceRegistry {
  private readonly types: ResourceType[] = [];

  register(type: ResourceType): void {
    this.types.push(type);
  }

  all(): readonly ResourceType[] {
    return this.types;
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  /** `deployments.apps`, `modeldeployments.focal.dev`, or a bare plural for the core group (`services`). */
  byName(name: string): ResourceType {
    const type = this.types.find((t) => qualifiedResource(t) === name);
    if (!type) throw new Error(`fake-kube: unknown resource "${name}"`);
    return type;
  }

  groupVersions(): Array<{ group: string; version: string }> {
    const seen = new Map<string, { group: string; version: string }>();
    for (const { group, version } of this.types) seen.set(`${group}/${version}`, { group, version });
    return [...seen.values()];
  }
}

/** Objects are stored per group and plural, whatever version they were written through. */
export function storageKeyOf(type: ResourceType): string {
  return qualifiedResource(type);
}
