/**
 * The base URL of a ModelDeployment's Service, from FOCAL_K8S_SERVICE_URL: `{name}`, `{namespace}`
 * and `{port}` are replaced, so the default reaches focal-model-<name>.<namespace>.svc in-cluster and
 * a fixed URL (no placeholders) can stand in for every model outside a cluster.
 */
export function serviceEndpoint(template: string, name: string, namespace: string, port: number): string {
  return template
    .replaceAll('{name}', name)
    .replaceAll('{namespace}', namespace)
    .replaceAll('{port}', String(port))
    .replace(/\/+$/, '');
}
