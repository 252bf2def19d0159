import { KubeConfig } from '@kubernetes/client-node';
import type { KubeAdapters } from '../cluster/cluster.ports.js';
import { KubeInformerFactory, type InformerRetry } from './kube-informer.factory.js';
import { KubeResourcesClient } from './kube-resources.client.js';

/**
 * Where the API server and credentials come from:
 * - `default`: KUBECONFIG, then ~/.kube/config, then the in-cluster service account (the pod's case);
 * - `options`: a kubeconfig object in `KubeConfig.loadFromOptions` form (tests against the fake server);
 * - `yaml`: kubeconfig file contents.
 */
export type KubeConfigSource =
  { kind: 'default' } | { kind: 'options'; options: unknown } | { kind: 'yaml'; yaml: string };

export function createKubeAdapters(source: KubeConfigSource, informerRetry?: InformerRetry): KubeAdapters {
  const kubeConfig = new KubeConfig();
  if (source.kind === 'default') kubeConfig.loadFromDefault();
  else if (source.kind === 'options') kubeConfig.loadFromOptions(source.options);
  else kubeConfig.loadFromString(source.yaml);
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server)
    throw new Error('No Kubernetes cluster configured: set KUBECONFIG or run in a pod with a service account');
  return {
    resources: new KubeResourcesClient(kubeConfig),
    watches: new KubeInformerFactory(kubeConfig, informerRetry),
    server,
  };
}
