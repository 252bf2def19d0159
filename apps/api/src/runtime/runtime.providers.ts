import type { Provider } from '@nestjs/common';
import type { ApiConfig } from '@focal/config';
import { HttpInferenceClient } from './http-inference.client.js';
import { INFERENCE_CLIENT } from './inference.client.js';
import { kubernetesRuntimeProviders } from './kubernetes/kubernetes-runtime.providers.js';
import { ForkWorkerLauncher } from './local/fork-worker.launcher.js';
import { LocalRuntime } from './local/local.runtime.js';
import { WORKER_LAUNCHER } from './local/worker.launcher.js';
import { MODEL_RUNTIME } from './model-runtime.port.js';

/** The ModelRuntime adapter chosen by FOCAL_RUNTIME, with what it needs. */
export function runtimeProviders(config: ApiConfig): Provider[] {
  const shared: Provider[] = [{ provide: INFERENCE_CLIENT, useClass: HttpInferenceClient }];
  if (config.runtime === 'kubernetes') return [...shared, ...kubernetesRuntimeProviders(config)];
  return [
    ...shared,
    { provide: WORKER_LAUNCHER, useFactory: () => new ForkWorkerLauncher(config) },
    { provide: MODEL_RUNTIME, useClass: LocalRuntime },
  ];
}
