import type { LoadModelResponseDto, ModelStatusDto } from '@focal/contracts';
import type { RuntimeModelStatus } from '../runtime/model-runtime.port.js';

export function toModelStatusDto(status: RuntimeModelStatus): ModelStatusDto {
  return {
    model_type: status.modelType,
    state: status.state,
    model_id: status.modelId,
    device: status.device,
    ...(status.requestedDevice ? { requested_device: status.requestedDevice } : {}),
    replicas: status.replicas,
    ready_replicas: status.readyReplicas,
    error: status.error,
    demo: status.demo,
    warnings: status.warnings,
    ...(status.loadTime !== null ? { load_time: status.loadTime } : {}),
  };
}

export function toLoadResponseDto(status: RuntimeModelStatus): LoadModelResponseDto {
  return { status: status.state === 'ready' ? 'loaded' : 'loading', ...toModelStatusDto(status) };
}
