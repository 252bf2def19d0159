import type { ContainerStatus, PodCondition, PodObject } from '../cluster/kube-objects.js';
import { diagnosePods, terminationDetail, type PodDiagnosis } from './model-pods.diagnosis.js';

/** Pod statuses shaped as the kubelet and the scheduler write them (k8s.io/api core/v1). */
function pod(
  name: string,
  status: {
    conditions?: PodCondition[];
    init?: ContainerStatus[];
    containers?: ContainerStatus[];
  },
  deleting = false,
): PodObject {
  return {
    metadata: { name, namespace: 'focal', ...(deleting ? { deletionTimestamp: '2025-03-01T12:00:00Z' } : {}) },
    status: {
      phase: 'Pending',
      conditions: status.conditions ?? [],
      ...(status.init ? { initContainerStatuses: status.init } : {}),
      ...(status.containers ? { containerStatuses: status.containers } : {}),
    },
  };
}

const FETCH_LOG = [
  '{"msg":"fetching model","model_id":"acme/gated"}',
  'FOCAL_LOAD_ERROR:{"reason":"acme/gated: 401 Unauthorized from the hub; set HF_TOKEN","status":401}',
].join('\n');

const fetchFailedOnce: ContainerStatus = {
  name: 'fetch-model',
  ready: false,
  restartCount: 0,
  state: { terminated: { exitCode: 1, reason: 'Error', message: FETCH_LOG, finishedAt: '2025-03-01T12:00:00Z' } },
};
const fetchBackingOff: ContainerStatus = {
  name: 'fetch-model',
  ready: false,
  restartCount: 2,
  state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=fetch-model' } },
  lastState: { terminated: { exitCode: 1, reason: 'Error', message: FETCH_LOG } },
};
const fetchDone: ContainerStatus = {
  name: 'fetch-model',
  ready: false,
  restartCount: 1,
  state: { terminated: { exitCode: 0, reason: 'Completed' } },
  lastState: { terminated: { exitCode: 1, reason: 'Error', message: FETCH_LOG } },
};
const fetchRunning: ContainerStatus = { name: 'fetch-model', ready: false, restartCount: 0, state: { running: {} } };
const inferenceWaiting = (reason: string, message?: string): ContainerStatus => ({
  name: 'inference',
  ready: false,
  restartCount: 0,
  state: { waiting: { reason, ...(message ? { message } : {}) } },
});
const inferenceReady: ContainerStatus = {
  name: 'inference',
  ready: true,
  started: true,
  restartCount: 1,
  state: { running: { startedAt: '2025-03-01T12:00:00Z' } },
  lastState: { terminated: { exitCode: 137, reason: 'Error' } },
};
const inferenceCrashing: ContainerStatus = {
  name: 'inference',
  ready: false,
  restartCount: 3,
  state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=inference' } },
  lastState: {
    terminated: {
      exitCode: 1,
      reason: 'Error',
      message: 'FOCAL_LOAD_ERROR:{"reason":"graph onnx/model.onnx has no input pixel_values","status":500}',
    },
  },
};
const UNSCHEDULABLE_MESSAGE =
  '0/2 nodes are available: 1 Insufficient nvidia.com/gpu, 1 node(s) had untolerated taint {node-role: infra}. ' +
  'preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.';
const unschedulable: PodCondition = {
  type: 'PodScheduled',
  status: 'False',
  reason: 'Unschedulable',
  message: UNSCHEDULABLE_MESSAGE,
};
const scheduled: PodCondition = { type: 'PodScheduled', status: 'True' };
const notInitialized: PodCondition = {
  type: 'Initialized',
  status: 'False',
  reason: 'ContainersNotInitialized',
  message: 'containers with incomplete status: [fetch-model]',
};

describe('diagnosePods', () => {
  it.each<[string, PodObject[], PodDiagnosis | undefined]>([
    ['no pods', [], undefined],
    [
      'a pod still fetching the model',
      [pod('p-1', { conditions: [scheduled, notInitialized], init: [fetchRunning] })],
      undefined,
    ],
    [
      'the fetch init container exited non-zero: its load error is the detail',
      [
        pod('p-1', {
          conditions: [scheduled, notInitialized],
          init: [fetchFailedOnce],
          containers: [inferenceWaiting('PodInitializing')],
        }),
      ],
      {
        reason: 'ModelFetchFailed',
        message:
          'Pod p-1: init container fetch-model exited with code 1 (Error): acme/gated: 401 Unauthorized from the hub; set HF_TOKEN',
        fatal: true,
      },
    ],
    [
      'the fetch init container in CrashLoopBackOff: restarts and the back-off are named',
      [pod('p-1', { conditions: [scheduled, notInitialized], init: [fetchBackingOff] })],
      {
        reason: 'ModelFetchFailed',
        message:
          'Pod p-1: init container fetch-model exited with code 1 (Error), restarted 2 times, CrashLoopBackOff: ' +
          'acme/gated: 401 Unauthorized from the hub; set HF_TOKEN',
        fatal: true,
      },
    ],
    [
      'a fetch that failed once and then completed is history',
      [pod('p-1', { conditions: [scheduled], init: [fetchDone], containers: [inferenceWaiting('ContainerCreating')] })],
      undefined,
    ],
    [
      'an image the kubelet cannot pull',
      [
        pod('p-1', {
          conditions: [scheduled],
          containers: [
            inferenceWaiting(
              'ImagePullBackOff',
              'Back-off pulling image "registry.example/focal/inference:nope": ErrImagePull: not found',
            ),
          ],
        }),
      ],
      {
        reason: 'ImagePullFailed',
        message:
          'Pod p-1: container inference is waiting (ImagePullBackOff): Back-off pulling image "registry.example/focal/inference:nope": ErrImagePull: not found',
        fatal: true,
      },
    ],
    [
      'a Secret the container needs does not exist',
      [pod('p-1', { containers: [inferenceWaiting('CreateContainerConfigError', 'secret "hf-token" not found')] })],
      {
        reason: 'ContainerConfigInvalid',
        message: 'Pod p-1: container inference is waiting (CreateContainerConfigError): secret "hf-token" not found',
        fatal: true,
      },
    ],
    [
      'the worker exits before it ever became ready',
      [pod('p-1', { conditions: [scheduled], init: [fetchDone], containers: [inferenceCrashing] })],
      {
        reason: 'ModelServerFailed',
        message:
          'Pod p-1: container inference exited with code 1 (Error), restarted 3 times, CrashLoopBackOff: ' +
          'graph onnx/model.onnx has no input pixel_values',
        fatal: true,
      },
    ],
    [
      'a worker that restarted once and serves again',
      [pod('p-1', { conditions: [scheduled], containers: [inferenceReady] })],
      undefined,
    ],
    [
      'a pod the scheduler cannot place is not fatal',
      [pod('p-1', { conditions: [unschedulable] })],
      { reason: 'Unschedulable', message: `Pod p-1 cannot be scheduled: ${UNSCHEDULABLE_MESSAGE}`, fatal: false },
    ],
    [
      'a failed fetch explains more than another pod being unschedulable',
      [pod('p-1', { conditions: [unschedulable] }), pod('p-2', { conditions: [scheduled], init: [fetchBackingOff] })],
      expect.objectContaining({ reason: 'ModelFetchFailed', message: expect.stringMatching(/^Pod p-2: /) }),
    ],
    ['a pod being deleted is not looked at', [pod('p-1', { init: [fetchFailedOnce] }, true)], undefined],
  ])('%s', (_case, pods, expected) => {
    expect(diagnosePods(pods)).toEqual(expected);
  });
});

describe('terminationDetail', () => {
  it.each([
    [
      'the load-error line of the worker, wherever it is in the tail',
      `a\n${FETCH_LOG}\n\n`,
      'acme/gated: 401 Unauthorized from the hub; set HF_TOKEN',
    ],
    [
      'the last non-empty line otherwise',
      'first\nError: ENOSPC: no space left on device\n\n',
      'Error: ENOSPC: no space left on device',
    ],
    ['a marker with broken JSON falls back to the last line', 'FOCAL_LOAD_ERROR:{oops\nlast words', 'last words'],
    ['whitespace collapsed to one line', '  spaced \t out  ', 'spaced out'],
    ['long text cut to 400 characters', 'x'.repeat(1000), `${'x'.repeat(399)}…`],
  ])('%s', (_case, message, expected) => {
    expect(terminationDetail(message)).toBe(expected);
  });
});
