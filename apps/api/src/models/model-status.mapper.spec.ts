import { RuntimeModelStatus, unloadedStatus } from '../runtime/model-runtime.port.js';
import { toLoadResponseDto, toModelStatusDto } from './model-status.mapper.js';

function status(overrides: Partial<RuntimeModelStatus> = {}): RuntimeModelStatus {
  return {
    modelType: 'depth_anything',
    state: 'ready',
    modelId: 'onnx-community/depth-anything-v2-small',
    device: 'cpu',
    requestedDevice: 'cuda',
    replicas: 1,
    readyReplicas: 1,
    error: null,
    demo: false,
    warnings: ['CUDA was requested but this onnxruntime-node build has no CUDA provider; running on CPU'],
    loadTime: 2.5,
    endpoint: 'http://127.0.0.1:40123',
    ...overrides,
  };
}

describe('toModelStatusDto', () => {
  it('maps every field to its snake_case name and leaves the internal endpoint out', () => {
    expect(toModelStatusDto(status())).toEqual({
      model_type: 'depth_anything',
      state: 'ready',
      model_id: 'onnx-community/depth-anything-v2-small',
      device: 'cpu',
      requested_device: 'cuda',
      replicas: 1,
      ready_replicas: 1,
      error: null,
      demo: false,
      warnings: ['CUDA was requested but this onnxruntime-node build has no CUDA provider; running on CPU'],
      load_time: 2.5,
    });
  });

  it('omits requested_device and load_time when unknown, but keeps nullable fields as null', () => {
    const dto = toModelStatusDto(unloadedStatus('sam3'));
    expect(dto).toEqual({
      model_type: 'sam3',
      state: 'unloaded',
      model_id: null,
      device: null,
      replicas: 0,
      ready_replicas: 0,
      error: null,
      demo: false,
      warnings: [],
    });
    expect(dto).not.toHaveProperty('requested_device');
    expect(dto).not.toHaveProperty('load_time');
  });

  it('keeps a load time of 0 seconds', () => {
    expect(toModelStatusDto(status({ loadTime: 0 }))).toHaveProperty('load_time', 0);
  });

  it('carries the failure reason of a failed model', () => {
    const dto = toModelStatusDto(
      status({ state: 'failed', error: 'graph "model" has no input "pixel_values"', readyReplicas: 0 }),
    );
    expect(dto.state).toBe('failed');
    expect(dto.error).toBe('graph "model" has no input "pixel_values"');
    expect(dto.ready_replicas).toBe(0);
  });
});

describe('toLoadResponseDto', () => {
  it('says "loaded" for a ready model', () => {
    expect(toLoadResponseDto(status({ state: 'ready' }))).toMatchObject({
      status: 'loaded',
      state: 'ready',
      model_type: 'depth_anything',
    });
  });

  it.each(['loading', 'unloaded', 'failed'] as const)('says "loading" for a %s model', (state) => {
    expect(toLoadResponseDto(status({ state }))).toMatchObject({ status: 'loading', state });
  });
});
