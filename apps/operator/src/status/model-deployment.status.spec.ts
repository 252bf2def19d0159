import type { ModelDeploymentCondition, ModelDeploymentPhase, ModelDeploymentStatus } from '@focal/contracts';
import type { DeploymentCondition, DeploymentObject, DeploymentStatus, PodObject } from '../cluster/kube-objects.js';
import { modelDeployment } from '../builders/model-deployment.spec-support.js';
import { computeStatus, kubeTimestamp, statusEquals } from './model-deployment.status.js';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const EARLIER = '2025-03-01T11:00:00Z';

function deployment(status: DeploymentStatus | undefined, generation = 1): DeploymentObject {
  return { metadata: { name: 'focal-model-sam3', namespace: 'focal', generation }, ...(status ? { status } : {}) };
}

const deadlineExceeded: DeploymentCondition = {
  type: 'Progressing',
  status: 'False',
  reason: 'ProgressDeadlineExceeded',
  message: 'ReplicaSet "focal-model-sam3-abc" has timed out progressing.',
};
const replicaFailure: DeploymentCondition = {
  type: 'ReplicaFailure',
  status: 'True',
  reason: 'FailedCreate',
  message: 'pods "focal-model-sam3-abc-x" is forbidden: exceeded quota',
};

type Row = [
  string,
  { replicas: number; deployment: DeploymentObject | undefined },
  {
    phase: ModelDeploymentPhase;
    replicas: number;
    readyReplicas: number;
    ready: string;
    progressing: string;
    degraded: string;
  },
];

describe('computeStatus', () => {
  it.each<Row>([
    [
      'replicas 0 and no Deployment yet',
      { replicas: 0, deployment: undefined },
      {
        phase: 'Unloaded',
        replicas: 0,
        readyReplicas: 0,
        ready: 'False/ScaledToZero',
        progressing: 'False/ScaledToZero',
        degraded: 'False/AsExpected',
      },
    ],
    [
      'replicas 0 and no pods left',
      { replicas: 0, deployment: deployment({ replicas: 0 }) },
      {
        phase: 'Unloaded',
        replicas: 0,
        readyReplicas: 0,
        ready: 'False/ScaledToZero',
        progressing: 'False/ScaledToZero',
        degraded: 'False/AsExpected',
      },
    ],
    [
      'replicas 0 while a pod still terminates',
      { replicas: 0, deployment: deployment({ replicas: 1, readyReplicas: 1 }) },
      {
        phase: 'Pending',
        replicas: 1,
        readyReplicas: 1,
        ready: 'False/ScalingDown',
        progressing: 'True/ScalingDown',
        degraded: 'False/AsExpected',
      },
    ],
    [
      'the Deployment does not exist yet',
      { replicas: 1, deployment: undefined },
      {
        phase: 'Pending',
        replicas: 0,
        readyReplicas: 0,
        ready: 'False/DeploymentPending',
        progressing: 'True/DeploymentPending',
        degraded: 'False/AsExpected',
      },
    ],
    [
      'the Deployment has no status yet',
      { replicas: 1, deployment: deployment(undefined) },
      {
        phase: 'Pending',
        replicas: 0,
        readyReplicas: 0,
        ready: 'False/PodsPending',
        progressing: 'True/PodsPending',
        degraded: 'False/AsExpected',
      },
    ],
    [
      'a pod exists but is not ready',
      { replicas: 1, deployment: deployment({ replicas: 1, readyReplicas: 0 }) },
      {
        phase: 'Loading',
        replicas: 1,
        readyReplicas: 0,
        ready: 'False/Loading',
        progressing: 'True/Loading',
        degraded: 'False/AsExpected',
      },
    ],
    [
      'one of two pods ready',
      { replicas: 2, deployment: deployment({ replicas: 2, readyReplicas: 1 }) },
      {
        phase: 'Loading',
        replicas: 2,
        readyReplicas: 1,
        ready: 'False/Loading',
        progressing: 'True/Loading',
        degraded: 'False/AsExpected',
      },
    ],
    [
      'every pod ready',
      {
        replicas: 2,
        deployment: deployment({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2 }),
      },
      {
        phase: 'Ready',
        replicas: 2,
        readyReplicas: 2,
        ready: 'True/ReplicasReady',
        progressing: 'False/Complete',
        degraded: 'False/AsExpected',
      },
    ],
    [
      'old pods ready while the controller has not seen the new template yet',
      { replicas: 1, deployment: deployment({ observedGeneration: 1, replicas: 1, readyReplicas: 1 }, 2) },
      {
        phase: 'Loading',
        replicas: 1,
        readyReplicas: 1,
        ready: 'False/RollingOut',
        progressing: 'True/RollingOut',
        degraded: 'False/AsExpected',
      },
    ],
    [
      'a surge pod of the new template loading next to a ready old one',
      {
        replicas: 1,
        deployment: deployment({ observedGeneration: 2, replicas: 2, updatedReplicas: 1, readyReplicas: 1 }, 2),
      },
      {
        phase: 'Loading',
        replicas: 2,
        readyReplicas: 1,
        ready: 'False/RollingOut',
        progressing: 'True/RollingOut',
        degraded: 'False/AsExpected',
      },
    ],
    [
      'scaled down, the extra pod gone',
      {
        replicas: 1,
        deployment: deployment({ observedGeneration: 3, replicas: 1, updatedReplicas: 1, readyReplicas: 1 }, 3),
      },
      {
        phase: 'Ready',
        replicas: 1,
        readyReplicas: 1,
        ready: 'True/ReplicasReady',
        progressing: 'False/Complete',
        degraded: 'False/AsExpected',
      },
    ],
    [
      'the progress deadline passed before the pods became ready',
      { replicas: 1, deployment: deployment({ replicas: 1, readyReplicas: 0, conditions: [deadlineExceeded] }) },
      {
        phase: 'Failed',
        replicas: 1,
        readyReplicas: 0,
        ready: 'False/ProgressDeadlineExceeded',
        progressing: 'False/ProgressDeadlineExceeded',
        degraded: 'True/ProgressDeadlineExceeded',
      },
    ],
    [
      'the ReplicaSet cannot create pods',
      { replicas: 1, deployment: deployment({ replicas: 0, conditions: [replicaFailure] }) },
      {
        phase: 'Failed',
        replicas: 0,
        readyReplicas: 0,
        ready: 'False/ReplicaFailure',
        progressing: 'False/ReplicaFailure',
        degraded: 'True/ReplicaFailure',
      },
    ],
    [
      'an old failure condition while every pod is ready',
      { replicas: 1, deployment: deployment({ replicas: 1, readyReplicas: 1, conditions: [deadlineExceeded] }) },
      {
        phase: 'Ready',
        replicas: 1,
        readyReplicas: 1,
        ready: 'True/ReplicasReady',
        progressing: 'False/Complete',
        degraded: 'False/AsExpected',
      },
    ],
  ])('%s', (_case, input, expected) => {
    const md = modelDeployment({ replicas: input.replicas });
    const status = computeStatus(md, input.deployment, NOW);
    const condition = (type: string) => {
      const c = status.conditions?.find((x) => x.type === type);
      return `${c?.status}/${c?.reason}`;
    };
    expect({
      phase: status.phase,
      replicas: status.replicas,
      readyReplicas: status.readyReplicas,
      ready: condition('Ready'),
      progressing: condition('Progressing'),
      degraded: condition('Degraded'),
    }).toEqual(expected);
  });

  it('reports the endpoint, the pod selector, the generation and a message', () => {
    const md = modelDeployment({}, { generation: 4 });
    const status = computeStatus(md, deployment({ replicas: 1, readyReplicas: 1 }), NOW);
    expect(status).toMatchObject({
      endpoint: 'http://focal-model-sam3.focal.svc:8080',
      selector: 'app.kubernetes.io/instance=sam3,app.kubernetes.io/name=focal-model',
      observedGeneration: 4,
      message: '1/1 replicas ready',
    });
    expect(status.conditions?.map((c) => [c.type, c.observedGeneration])).toEqual([
      ['Ready', 4],
      ['Progressing', 4],
      ['Degraded', 4],
    ]);
  });

  describe('after the spec was served', () => {
    const withStatus = (phase: ModelDeploymentPhase, observedGeneration: number, replicas = 1) => {
      const md = modelDeployment({ replicas }, { generation: 3 });
      md.status = { phase, observedGeneration, replicas, readyReplicas: replicas };
      return md;
    };
    const summary = (status: ModelDeploymentStatus) => [
      status.phase,
      ...(['Ready', 'Degraded'] as const).map((type) => {
        const c = status.conditions?.find((x) => x.type === type);
        return `${type}=${c?.status}/${c?.reason}`;
      }),
    ];

    it.each([
      [
        'its only pod stops being ready',
        withStatus('Ready', 3),
        { replicas: 1, readyReplicas: 0 },
        ['Degraded', 'Ready=False/ReplicasUnavailable', 'Degraded=True/ReplicasUnavailable'],
      ],
      [
        'one of two pods stops being ready',
        withStatus('Ready', 3, 2),
        { replicas: 2, readyReplicas: 1 },
        ['Degraded', 'Ready=True/PartiallyReady', 'Degraded=True/ReplicasUnavailable'],
      ],
      [
        'a degraded model stays degraded until its pods are back',
        withStatus('Degraded', 3),
        { replicas: 1, readyReplicas: 0 },
        ['Degraded', 'Ready=False/ReplicasUnavailable', 'Degraded=True/ReplicasUnavailable'],
      ],
      [
        'a degraded model recovers',
        withStatus('Degraded', 3),
        { replicas: 1, readyReplicas: 1 },
        ['Ready', 'Ready=True/ReplicasReady', 'Degraded=False/AsExpected'],
      ],
      [
        'a new spec (newer generation) is loading, not degraded',
        withStatus('Ready', 2),
        { replicas: 1, readyReplicas: 0 },
        ['Loading', 'Ready=False/Loading', 'Degraded=False/AsExpected'],
      ],
      [
        'a model never served is loading, not degraded',
        withStatus('Loading', 3),
        { replicas: 1, readyReplicas: 0 },
        ['Loading', 'Ready=False/Loading', 'Degraded=False/AsExpected'],
      ],
    ])('%s', (_, md, counts, expected) => {
      expect(summary(computeStatus(md, deployment({ ...counts, updatedReplicas: counts.replicas }, 1), NOW))).toEqual(
        expected,
      );
    });
  });

  describe('with what the kubelet and the scheduler say about the pods', () => {
    const fetchFailed: PodObject = {
      metadata: { name: 'focal-model-sam3-7d9f-x2k4p' },
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          {
            name: 'fetch-model',
            ready: false,
            restartCount: 1,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', message: 'org/sam3-onnx: 404 Not Found' } },
          },
        ],
      },
    };
    const unschedulablePod: PodObject = {
      metadata: { name: 'focal-model-sam3-7d9f-x2k4p' },
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/1 nodes are available: 1 Insufficient nvidia.com/gpu.',
          },
        ],
      },
    };
    const FETCH_MESSAGE =
      'Pod focal-model-sam3-7d9f-x2k4p: init container fetch-model exited with code 1 (Error), restarted 1 time, ' +
      'CrashLoopBackOff: org/sam3-onnx: 404 Not Found';
    const served = (phase: ModelDeploymentPhase) => {
      const md = modelDeployment({}, { generation: 2 });
      md.status = { phase, observedGeneration: 2, replicas: 1, readyReplicas: 1 };
      return md;
    };

    it.each<[string, ReturnType<typeof modelDeployment>, DeploymentStatus, PodObject[], string[], string]>([
      [
        'a failed model fetch fails the ModelDeployment with its reason',
        modelDeployment(),
        { replicas: 1, readyReplicas: 0 },
        [fetchFailed],
        [
          'Failed',
          'Ready=False/ModelFetchFailed',
          'Progressing=False/ModelFetchFailed',
          'Degraded=True/ModelFetchFailed',
        ],
        FETCH_MESSAGE,
      ],
      [
        'a new spec whose surge pod cannot fetch its model, next to a ready old pod',
        modelDeployment({}, { generation: 2 }),
        { observedGeneration: 2, replicas: 2, updatedReplicas: 1, readyReplicas: 1 },
        [fetchFailed],
        [
          'Failed',
          'Ready=False/ModelFetchFailed',
          'Progressing=False/ModelFetchFailed',
          'Degraded=True/ModelFetchFailed',
        ],
        FETCH_MESSAGE,
      ],
      [
        'an unschedulable pod keeps it Pending with the scheduler message',
        modelDeployment(),
        { replicas: 1, readyReplicas: 0 },
        [unschedulablePod],
        ['Pending', 'Ready=False/Unschedulable', 'Progressing=True/Unschedulable', 'Degraded=False/AsExpected'],
        'Pod focal-model-sam3-7d9f-x2k4p cannot be scheduled: 0/1 nodes are available: 1 Insufficient nvidia.com/gpu.',
      ],
      [
        'a served model whose replacement pod cannot fetch is Degraded, and says why',
        served('Ready'),
        { observedGeneration: 2, replicas: 1, updatedReplicas: 1, readyReplicas: 0 },
        [fetchFailed],
        [
          'Degraded',
          'Ready=False/ReplicasUnavailable',
          'Progressing=True/Recovering',
          'Degraded=True/ReplicasUnavailable',
        ],
        `0/1 replicas ready: 1 not ready since the model was served; ${FETCH_MESSAGE}`,
      ],
      [
        'pods are not looked at once every replica is ready on the current spec',
        modelDeployment(),
        { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1 },
        [fetchFailed],
        ['Ready', 'Ready=True/ReplicasReady', 'Progressing=False/Complete', 'Degraded=False/AsExpected'],
        '1/1 replicas ready',
      ],
    ])('%s', (_case, md, counts, pods, conditions, message) => {
      const status = computeStatus(md, deployment(counts, md.metadata.generation), NOW, undefined, pods);
      expect([status.phase, ...(status.conditions ?? []).map((c) => `${c.type}=${c.status}/${c.reason}`)]).toEqual(
        conditions,
      );
      expect(status.message).toBe(message);
      expect(status.conditions?.find((c) => c.type === 'Ready')?.message).toBe(message);
    });
  });

  describe('while the Deployment controller has not observed the latest generation', () => {
    // The API server bumps generation for a replica count or an annotation as well as for a template change: only the
    // pods' template hash tells which happened before the controller reports it.
    const CURRENT = 'c0ffee0000000001';
    const OLDER = 'c0ffee0000000000';
    const unobserved = (counts: DeploymentStatus, hash: string | undefined): DeploymentObject => ({
      ...deployment({ observedGeneration: 2, ...counts }, 3),
      spec: {
        selector: { matchLabels: {} },
        template: { metadata: hash ? { annotations: { 'focal.dev/template-hash': hash } } : {} },
      },
    });
    const pod = (name: string, hash: string | undefined, terminating = false): PodObject => ({
      metadata: {
        name,
        ...(hash ? { annotations: { 'focal.dev/template-hash': hash } } : {}),
        ...(terminating ? { deletionTimestamp: EARLIER } : {}),
      },
    });
    const twoReady = { replicas: 2, updatedReplicas: 2, readyReplicas: 2 };

    it.each<[string, number, DeploymentObject, PodObject[], string]>([
      [
        'scaled from 2 to 1, every pod on the current template',
        1,
        unobserved(twoReady, CURRENT),
        [pod('a', CURRENT), pod('b', CURRENT)],
        'Ready/ReplicasReady',
      ],
      [
        'annotated, every pod on the current template',
        2,
        unobserved(twoReady, CURRENT),
        [pod('a', CURRENT), pod('b', CURRENT)],
        'Ready/ReplicasReady',
      ],
      [
        'a terminating pod of an older template does not count',
        1,
        unobserved(twoReady, CURRENT),
        [pod('a', CURRENT), pod('b', OLDER, true)],
        'Ready/ReplicasReady',
      ],
      [
        'a new template, the pods on the older one',
        2,
        unobserved(twoReady, CURRENT),
        [pod('a', OLDER), pod('b', OLDER)],
        'Loading/RollingOut',
      ],
      [
        'a new template, one pod on the older one',
        2,
        unobserved(twoReady, CURRENT),
        [pod('a', CURRENT), pod('b', OLDER)],
        'Loading/RollingOut',
      ],
      [
        'a template with no hash (built by an older operator)',
        2,
        unobserved(twoReady, undefined),
        [pod('a', undefined), pod('b', undefined)],
        'Loading/RollingOut',
      ],
      ['no pod listed', 2, unobserved(twoReady, CURRENT), [], 'Loading/RollingOut'],
    ])('%s: %s', (_case, replicas, observed, pods, expected) => {
      const status = computeStatus(modelDeployment({ replicas }, { generation: 4 }), observed, NOW, undefined, pods);
      expect(`${status.phase}/${status.conditions?.find((c) => c.type === 'Ready')?.reason}`).toBe(expected);
    });

    it('keeps an autoscaled model Ready while it scales up on the current template', () => {
      const md = modelDeployment({ replicas: 3, autoscaling: { maxReplicas: 4 } }, { generation: 4 });
      const observed = unobserved({ replicas: 1, updatedReplicas: 1, readyReplicas: 1 }, CURRENT);
      const status = computeStatus(md, observed, NOW, undefined, [pod('a', CURRENT)]);
      expect([status.phase, status.message]).toEqual(['Ready', 'Scaling up: 1/3 replicas ready']);
      const older = computeStatus(md, observed, NOW, undefined, [pod('a', OLDER)]);
      expect(older.phase).toBe('Loading');
    });
  });

  it('names the Deployment and its own words in a failure message', () => {
    const status = computeStatus(modelDeployment(), deployment({ replicas: 1, conditions: [deadlineExceeded] }), NOW);
    expect(status.message).toBe(
      'Deployment focal-model-sam3: ReplicaSet "focal-model-sam3-abc" has timed out progressing.',
    );
  });

  it('reports a blocker as Failed and Degraded with its reason', () => {
    const status = computeStatus(modelDeployment(), undefined, NOW, { reason: 'InvalidName', message: 'too long' });
    expect(status.phase).toBe('Failed');
    expect(status.conditions?.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual([
      'Ready=False/InvalidName',
      'Progressing=False/InvalidName',
      'Degraded=True/InvalidName',
    ]);
    expect(status.message).toBe('too long');
  });

  it.each<[string, ModelDeploymentCondition['status'], string]>([
    ['keeps the transition time of a condition whose status did not change', 'False', EARLIER],
    ['stamps now on a condition whose status changed', 'True', kubeTimestamp(NOW)],
  ])('%s', (_case, previousReady, expectedTime) => {
    const previous: ModelDeploymentStatus = {
      conditions: [
        { type: 'Ready', status: previousReady, reason: 'Whatever', message: 'old', lastTransitionTime: EARLIER },
      ],
    };
    const md = { ...modelDeployment(), status: previous };
    const status = computeStatus(md, deployment({ replicas: 1, readyReplicas: 0 }), NOW);
    expect(status.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(expectedTime);
  });

  it('yields a status equal to the stored one when nothing changed, so no write is needed', () => {
    const md = modelDeployment();
    const observed = deployment({ replicas: 1, readyReplicas: 1 });
    const first = computeStatus(md, observed, new Date('2025-01-01T00:00:00Z'));
    const again = computeStatus({ ...md, status: first }, observed, NOW);
    expect(statusEquals(first, again)).toBe(true);
    const moved = computeStatus({ ...md, status: first }, deployment({ replicas: 1, readyReplicas: 0 }), NOW);
    expect(statusEquals(first, moved)).toBe(false);
  });

  it('compares statuses regardless of key order', () => {
    expect(statusEquals({ phase: 'Ready', replicas: 1 }, { replicas: 1, phase: 'Ready' })).toBe(true);
    expect(statusEquals(undefined, {})).toBe(true);
    expect(statusEquals(undefined, { phase: 'Pending' })).toBe(false);
  });

  describe('an autoscaled model scaling up', () => {
    const autoscaled = (replicas: number) =>
      modelDeployment({ replicas, autoscaling: { maxReplicas: 4 } }, { generation: 2 });
    const reasonOf = (status: ModelDeploymentStatus, type: string) =>
      status.conditions?.find((c) => c.type === type)?.reason;

    it('stays Ready while more replicas start next to a ready one of the current template', () => {
      const observed = deployment({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 1 }, 2);
      const status = computeStatus(autoscaled(3), observed, NOW);
      expect(status.phase).toBe('Ready');
      expect(reasonOf(status, 'Ready')).toBe('ScalingUp');
      expect(status.message).toBe('Scaling up: 1/3 replicas ready');
    });

    it.each([
      ['the controller has not seen the new template', { observedGeneration: 1, replicas: 3, updatedReplicas: 3 }],
      ['an old-template pod still runs', { observedGeneration: 2, replicas: 3, updatedReplicas: 2 }],
    ])('is Loading when %s (the ready pod may serve another spec)', (_case, counts) => {
      const status = computeStatus(autoscaled(3), deployment({ ...counts, readyReplicas: 1 }, 2), NOW);
      expect(status.phase).toBe('Loading');
    });

    it('is Loading without autoscaling, as before', () => {
      const observed = deployment({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 1 }, 2);
      expect(computeStatus(modelDeployment({ replicas: 3 }, { generation: 2 }), observed, NOW).phase).toBe('Loading');
    });
  });
});
