import type { Provider } from '@nestjs/common';
import { KubeConfig } from '@kubernetes/client-node';
import type { ApiConfig } from '@focal/config';
import { MODEL_RUNTIME } from '../model-runtime.port.js';
import { CustomObjectsModelDeploymentClient } from './custom-objects.model-deployment.client.js';
import { KubernetesRuntime } from './kubernetes.runtime.js';
import { MODEL_DEPLOYMENT_CLIENT } from './model-deployment.client.js';
import { MODEL_PODS_SOURCE } from './model-pods.source.js';
import { WatchedModelPods } from './watched.model-pods.js';

const KUBE_CONFIG = Symbol('KUBE_CONFIG');

/**
 * KubernetesRuntime and its clients. The kubeconfig is read the way kubectl reads it: in a pod, the
 * service account (KUBERNETES_SERVICE_HOST/PORT and the token file); elsewhere KUBECONFIG or ~/.kube/config.
 */
export function kubernetesRuntimeProviders(config: ApiConfig): Provider[] {
  const { namespace, modelServicePort, routing } = config.kubernetes;
  return [
    {
      provide: KUBE_CONFIG,
      useFactory: () => {
        const kubeConfig = new KubeConfig();
        kubeConfig.loadFromDefault();
        return kubeConfig;
      },
    },
    {
      provide: MODEL_DEPLOYMENT_CLIENT,
      useFactory: (kubeConfig: KubeConfig) => new CustomObjectsModelDeploymentClient(kubeConfig, namespace),
      inject: [KUBE_CONFIG],
    },
    ...(routing === 'pods'
      ? [
          {
            provide: MODEL_PODS_SOURCE,
            useFactory: (kubeConfig: KubeConfig) => new WatchedModelPods(kubeConfig, namespace, modelServicePort),
            inject: [KUBE_CONFIG],
          },
        ]
      : []),
    { provide: MODEL_RUNTIME, useClass: KubernetesRuntime },
  ];
}
