import type { Provider } from '@nestjs/common';
import type { ApiConfig } from '@focal/config';
import { MODEL_RUNTIME } from '../model-runtime.port.js';
import { CustomObjectsModelDeploymentClient } from './custom-objects.model-deployment.client.js';
import { KubernetesRuntime } from './kubernetes.runtime.js';
import { MODEL_DEPLOYMENT_CLIENT } from './model-deployment.client.js';

/** KubernetesRuntime and its ModelDeployment client, which reads the kubeconfig the way kubectl does. */
export function kubernetesRuntimeProviders(config: ApiConfig): Provider[] {
  return [
    {
      provide: MODEL_DEPLOYMENT_CLIENT,
      useFactory: () => CustomObjectsModelDeploymentClient.fromDefaultKubeConfig(config.kubernetes.namespace),
    },
    { provide: MODEL_RUNTIME, useClass: KubernetesRuntime },
  ];
}
