import { createHash } from 'node:crypto';

/** The v1beta1 messages the plugin reads and writes, as proto-loader hands them over (snake_case kept). */
export interface AllocateRequest {
  container_requests: Array<{ devices_ids: string[] }>;
}

export interface AllocateResponse {
  container_responses: Array<{ envs: Record<string, string> }>;
}

/**
 * A node's GPUs as NVIDIA's device plugin names them, `GPU-<uuid>`: stable for a node name and index, so the
 * kubelet's checkpoint of which pod holds which device stays valid across restarts of the plugin.
 */
export function gpuDeviceIds(node: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const hex = createHash('sha256').update(`${node}/${index}`).digest('hex');
    return `GPU-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  });
}

/**
 * What each container gets for the devices the kubelet allocated to it: NVIDIA_VISIBLE_DEVICES, as NVIDIA's plugin
 * sets it with its envvar strategy (the container toolkit then exposes exactly those GPUs). An ID this node does
 * not have is refused, as the kubelet asked for something the plugin never advertised.
 */
export function allocateResponse(request: AllocateRequest, known: readonly string[]): AllocateResponse {
  return {
    container_responses: request.container_requests.map(({ devices_ids: ids }) => {
      const unknown = ids.filter((id) => !known.includes(id));
      if (unknown.length > 0) throw new Error(`unknown device(s) ${unknown.join(', ')}`);
      return { envs: { NVIDIA_VISIBLE_DEVICES: ids.join(',') } };
    }),
  };
}
