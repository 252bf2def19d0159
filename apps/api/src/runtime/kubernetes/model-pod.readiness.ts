import type { PodEndpoint } from './pod-balancer.js';

/** The fields of a Pod the router reads. */
export interface ModelPod {
  metadata: { name?: string; labels?: Record<string, string>; deletionTimestamp?: string | Date };
  status?: { podIP?: string; conditions?: Array<{ type: string; status: string }> };
}

export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
/** Every pod the operator runs for a model carries this (apps/operator model-workload.names). */
export const MODEL_POD_SELECTOR = 'app.kubernetes.io/name=focal-model';

/**
 * A pod takes requests when it is Ready, has an IP and is not being deleted: the same rule an
 * EndpointSlice controller applies (a terminating pod stops getting new traffic at once).
 */
export function isRoutable(pod: ModelPod): boolean {
  const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  return ready && Boolean(pod.status?.podIP) && !pod.metadata.deletionTimestamp;
}

/** The ready endpoints of one ModelDeployment, sorted by name so every API replica sees one order. */
export function readyEndpoints(pods: Iterable<ModelPod>, instance: string, port: number): PodEndpoint[] {
  const endpoints: PodEndpoint[] = [];
  for (const pod of pods) {
    if (pod.metadata.labels?.[INSTANCE_LABEL] !== instance || !isRoutable(pod)) continue;
    const ip = pod.status?.podIP ?? '';
    const host = ip.includes(':') ? `[${ip}]` : ip;
    endpoints.push({ name: pod.metadata.name ?? ip, endpoint: `http://${host}:${port}` });
  }
  return endpoints.sort((a, b) => a.name.localeCompare(b.name));
}
