/**
 * The nodes the agent registers. The GPU node carries what NVIDIA's GPU operator would put on a real
 * one: the nvidia.com/gpu extended resource, the NoSchedule taint and GPU feature discovery's labels
 * (values-gpu.yaml selects on nvidia.com/gpu.present). Pod IPs come from the node's own 127.x /24.
 */
export interface SimulatedNode {
  name: string;
  /** Third octet of this node's pod IPs: 127.0.<subnet>.<2..254>. */
  subnet: number;
  labels: Record<string, string>;
  taints: Array<{ key: string; value?: string; effect: 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule' }>;
  capacity: Record<string, string>;
}

export const NODE_LABEL = 'focal.dev/local-node';

/**
 * `subnetBase` keeps two clusters on one machine apart (a developer's and the test suite's): the CPU
 * node's pods get 127.0.<base>.x and the GPU node's 127.0.<base+10>.x.
 */
export function defaultNodes(subnetBase = 10): SimulatedNode[] {
  const base = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  return [
    {
      name: 'focal-cpu-0',
      subnet: subnetBase,
      labels: { [NODE_LABEL]: 'true', 'focal.dev/node-pool': 'cpu' },
      taints: [],
      capacity: base,
    },
    {
      name: 'focal-gpu-0',
      subnet: subnetBase + 10,
      labels: {
        [NODE_LABEL]: 'true',
        'focal.dev/node-pool': 'gpu',
        'nvidia.com/gpu.present': 'true',
        'nvidia.com/gpu.product': 'NVIDIA-L4-SIMULATED',
        'nvidia.com/gpu.count': '2',
      },
      taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
      capacity: { ...base, 'nvidia.com/gpu': '2' },
    },
  ];
}

export function nodeObject(node: SimulatedNode, kubeletVersion: string, now: string) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        ...node.labels,
      },
    },
    spec: node.taints.length > 0 ? { taints: node.taints } : {},
    status: nodeStatus(node, kubeletVersion, now),
  };
}

export function nodeStatus(node: SimulatedNode, kubeletVersion: string, now: string) {
  const condition = (type: string, status: 'True' | 'False', reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  });
  return {
    capacity: node.capacity,
    allocatable: node.capacity,
    conditions: [
      condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'simulated node has sufficient memory'),
      condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'simulated node has no disk pressure'),
      condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'simulated node has sufficient PID'),
      condition('Ready', 'True', 'KubeletReady', 'Focal node agent is posting ready status'),
    ],
    addresses: [
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'Hostname', address: node.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
    nodeInfo: {
      machineID: node.name,
      systemUUID: node.name,
      bootID: node.name,
      kernelVersion: 'simulated',
      osImage: 'Focal node agent (pods are local processes)',
      containerRuntimeVersion: 'focal-node-agent://1',
      kubeletVersion,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

/** The node's Lease in kube-node-lease, which the node lifecycle controller reads as the heartbeat. */
export function leaseObject(node: SimulatedNode, nowMicro: string) {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: node.name, namespace: 'kube-node-lease' },
    spec: { holderIdentity: node.name, leaseDurationSeconds: 40, renewTime: nowMicro },
  };
}
