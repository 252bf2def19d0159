import type { Provider } from '@nestjs/common';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ApiConfig } from '@focal/config';
import { MODEL_RUNTIME } from '../model-runtime.port.js';
import { KubernetesRuntime } from './kubernetes.runtime.js';
import { MODEL_DEPLOYMENT_CLIENT } from './model-deployment.client.js';
import { MODEL_PODS_SOURCE } from './model-pods.source.js';

const KUBE_CONFIG = Symbol('KUBE_CONFIG');

/**
 * KubernetesRuntime and its clients. The kubeconfig is read the way kubectl reads it: in a pod, the
 * service account (KUBERNETES_SERVICE_HOST/PORT and the token file); elsewhere KUBECONFIG or ~/.kube/config.
 *
 * @kubernetes/client-node and the two modules built on it are imported only here, when the factories run:
 * loaded, the library alone holds about 40 MB of heap (its generated API sources) and 80 MB of RSS, which an
 * API on the local runtime never uses.
 */
export function kubernetesRuntimeProviders(config: ApiConfig): Provider[] {
  const { namespace, modelServicePort, routing } = config.kubernetes;
  return [
    {
      provide: KUBE_CONFIG,
      useFactory: async () => {
        const { KubeConfig } = await import('@kubernetes/client-node');
        const kubeConfig = new KubeConfig();
        kubeConfig.loadFromDefault();
        return kubeConfig;
      },
    },
    {
      provide: MODEL_DEPLOYMENT_CLIENT,
      useFactory: async (kubeConfig: KubeConfig) => {
        const { CustomObjectsModelDeploymentClient } = await import('./custom-objects.model-deployment.client.js');
        return new CustomObjectsModelDeploymentClient(kubeConfig, namespace);
      },
      inject: [KUBE_CONFIG],
    },
    ...(routing === 'pods'
      ? [
          {
            provide: MODEL_PODS_SOURCE,
            useFactory: async (kubeConfig: KubeConfig) => {
              const { WatchedModelPods } = await import('./watched.model-pods.js');
              return new WatchedModelPods(kubeConfig, namespace, modelServicePort);
            },
            inject: [KUBE_CONFIG],
          },
        ]
      : []),
    { provide: MODEL_RUNTIME, useClass: KubernetesRuntime },
  ];
}
