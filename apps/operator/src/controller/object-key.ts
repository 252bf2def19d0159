/** `namespace/name`, the queue's key for a ModelDeployment. */
export function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function parseObjectKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  if (slash <= 0 || slash === key.length - 1) throw new Error(`not a namespace/name key: "${key}"`);
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
