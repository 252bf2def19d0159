import {
  MODEL_DEPLOYMENT_API_VERSION,
  MODEL_DEPLOYMENT_KIND,
  type ModelDeployment,
  type ModelDeploymentCondition,
  type ModelDeploymentSpec,
  type ModelDeploymentStatus,
} from '@focal/contracts';
import { unloadedStatus } from '../model-runtime.port.js';
import { describeProgress, failureReason, toRuntimeStatus } from './model-deployment-status.mapper.js';

const ENDPOINT = 'http://focal-model-dinov3.models.svc:8080';

function md(spec: Partial<ModelDeploymentSpec>, status?: ModelDeploymentStatus, generation = 1): ModelDeployment {
  return {
    apiVersion: MODEL_DEPLOYMENT_API_VERSION,
    kind: MODEL_DEPLOYMENT_KIND,
    metadata: { name: 'dinov3', namespace: 'models', generation },
    spec: { modelType: 'dinov3', modelId: 'org/model', ...spec },
    ...(status ? { status } : {}),
  };
}

function condition(
  type: ModelDeploymentCondition['type'],
  status: ModelDeploymentCondition['status'],
  reason: string,
  message: string,
) {
  return { type, status, reason, message, lastTransitionTime: '2026-01-01T00:00:00Z' };
}

describe('toRuntimeStatus', () => {
  it('is ready with the endpoint when the operator reports Ready with a ready pod', () => {
    const status = toRuntimeStatus(
      'dinov3',
      md({ replicas: 2, device: 'cpu' }, { phase: 'Ready', readyReplicas: 1 }),
      ENDPOINT,
    );
    expect(status).toEqual({
      modelType: 'dinov3',
      state: 'ready',
      modelId: 'org/model',
      device: 'cpu',
      requestedDevice: 'cpu',
      replicas: 2,
      readyReplicas: 1,
      error: null,
      demo: false,
      warnings: [],
      loadTime: null,
      endpoint: ENDPOINT,
    });
  });

  it('is unloaded at 0 replicas whatever the phase says, and keeps the model id an auto-load scales back up', () => {
    const status = toRuntimeStatus('dinov3', md({ replicas: 0 }, { phase: 'Ready', readyReplicas: 1 }), ENDPOINT);
    expect(status).toMatchObject({ state: 'unloaded', modelId: 'org/model', device: null, requestedDevice: 'cuda' });
    expect(status.endpoint).toBeNull();
  });

  it('is loading while replicas are asked for but none is ready, and takes the CRD defaults for omitted fields', () => {
    for (const phase of ['Pending', 'Loading', 'Unloaded', 'Ready', undefined] as const) {
      const status = toRuntimeStatus('dinov3', md({}, { phase, readyReplicas: 0 }), ENDPOINT);
      expect(status).toMatchObject({ state: 'loading', replicas: 1, device: 'cuda', endpoint: null });
    }
  });

  it('is failed with the operator message, or the telling condition when there is no message', () => {
    const withMessage = md({}, { phase: 'Failed', message: 'CUDA out of memory' });
    expect(toRuntimeStatus('dinov3', withMessage, ENDPOINT)).toMatchObject({
      state: 'failed',
      error: 'CUDA out of memory',
    });
    const withCondition = md(
      {},
      {
        phase: 'Failed',
        conditions: [
          condition('Progressing', 'False', 'Stopped', 'gave up'),
          condition('Degraded', 'True', 'ImagePullBackOff', 'image focal/inference:9 not found'),
        ],
      },
    );
    expect(failureReason(withCondition)).toBe('Degraded=True ImagePullBackOff: image focal/inference:9 not found');
  });

  it('is failed with the reason and message the operator writes for a failed model fetch', () => {
    // As apps/operator/src/status writes it: the Ready condition's message is the status message.
    const message =
      'Pod focal-model-dinov3-7d9f-x2k4p: init container fetch-model exited with code 1 (Error), restarted 1 time, ' +
      'CrashLoopBackOff: org/model: 401 Unauthorized';
    const fetchFailed = md(
      {},
      {
        phase: 'Failed',
        readyReplicas: 0,
        observedGeneration: 1,
        message,
        conditions: [
          condition('Ready', 'False', 'ModelFetchFailed', message),
          condition('Progressing', 'False', 'ModelFetchFailed', message),
          condition('Degraded', 'True', 'ModelFetchFailed', message),
        ],
      },
    );
    expect(toRuntimeStatus('dinov3', fetchFailed, ENDPOINT)).toMatchObject({
      state: 'failed',
      error: `ModelFetchFailed: ${message}`,
      endpoint: null,
    });
  });

  it('marks the demo model, and is the unloaded status when there is no ModelDeployment', () => {
    expect(toRuntimeStatus('dinov3', md({ modelId: 'demo' }), ENDPOINT).demo).toBe(true);
    expect(toRuntimeStatus('sam3', undefined, ENDPOINT)).toEqual(unloadedStatus('sam3'));
  });

  it('warns when several ModelDeployments serve the type', () => {
    const other = { ...md({}), metadata: { name: 'dino-b' } };
    const status = toRuntimeStatus('dinov3', md({}, { phase: 'Ready', readyReplicas: 1 }), ENDPOINT, [other]);
    expect(status.warnings).toEqual(["2 ModelDeployments serve dinov3 (dinov3, dino-b); this status is dinov3's"]);
  });
});

describe('describeProgress', () => {
  it('says the operator has not acted yet when its status is about an older generation or absent', () => {
    expect(describeProgress(md({}, { phase: 'Ready', readyReplicas: 1, observedGeneration: 1 }, 2), 2)).toBe(
      'the operator has not acted on generation 2 yet (it last observed 1; is focal-operator running?)',
    );
    expect(describeProgress(md({}), 1)).toBe('the operator has reported no status yet (is focal-operator running?)');
  });

  it('gives the phase, ready pods and the operator reason and message for an unschedulable pod', () => {
    const message =
      'Pod focal-model-dinov3-7d9f-x2k4p cannot be scheduled: 0/1 nodes are available: 1 Insufficient nvidia.com/gpu.';
    const pending = md(
      {},
      {
        phase: 'Pending',
        readyReplicas: 0,
        observedGeneration: 1,
        message,
        conditions: [
          condition('Ready', 'False', 'Unschedulable', message),
          condition('Progressing', 'True', 'Unschedulable', message),
          condition('Degraded', 'False', 'AsExpected', ''),
        ],
      },
    );
    expect(describeProgress(pending, 1)).toBe(`phase Pending, 0/1 replicas ready; Unschedulable: ${message}`);
  });

  it('gives the phase, ready pods, message and the conditions that explain the wait', () => {
    const waiting = md(
      { replicas: 2 },
      {
        phase: 'Pending',
        readyReplicas: 0,
        observedGeneration: 1,
        message: 'waiting for a GPU node',
        conditions: [
          condition('Ready', 'False', 'PodsNotReady', '0/2 pods ready'),
          condition('Progressing', 'True', 'Unschedulable', '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.'),
          condition('Degraded', 'False', 'AsExpected', ''),
        ],
      },
    );
    expect(describeProgress(waiting, 1)).toBe(
      'phase Pending, 0/2 replicas ready; waiting for a GPU node; Ready=False PodsNotReady: 0/2 pods ready; ' +
        'Progressing=True Unschedulable: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.',
    );
  });
});
