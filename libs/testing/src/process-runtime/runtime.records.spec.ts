import type { ContainerFilter, PodSandboxFilter } from './cri.types.js';
import {
  containerMatches,
  exitOf,
  sandboxMatches,
  type ContainerRecord,
  type SandboxRecord,
} from './runtime.records.js';

const sandbox: SandboxRecord = {
  id: 'abc123',
  config: { metadata: { name: 'p', uid: 'u', namespace: 'n', attempt: 0 }, labels: { app: 'x', tier: 'web' } },
  runtimeHandler: '',
  state: 'SANDBOX_READY',
  ip: '127.0.10.2',
  createdAt: 1n,
};

const container: ContainerRecord = {
  id: 'def456',
  sandboxId: 'abc123',
  config: { metadata: { name: 'main', attempt: 0 }, image: { image: 'focal/api:local' }, labels: { app: 'x' } },
  imageRef: 'sha256:0',
  state: 'CONTAINER_RUNNING',
  createdAt: 1n,
  startedAt: 2n,
  finishedAt: 0n,
  exitCode: 0,
  reason: '',
  message: '',
};

describe('sandboxMatches', () => {
  it.each<[string, PodSandboxFilter | null | undefined, boolean]>([
    ['no filter', undefined, true],
    ['null filter', null, true],
    ['an id prefix', { id: 'abc' }, true],
    ['another id', { id: 'abd' }, false],
    ['its state', { state: { state: 'SANDBOX_READY' } }, true],
    ['another state', { state: { state: 'SANDBOX_NOTREADY' } }, false],
    ['a subset of its labels', { label_selector: { app: 'x' } }, true],
    ['a label it lacks', { label_selector: { app: 'x', zone: 'a' } }, false],
  ])('%s: %s', (_case, filter, expected) => {
    expect(sandboxMatches(sandbox, filter)).toBe(expected);
  });
});

describe('containerMatches', () => {
  it.each<[string, ContainerFilter | null | undefined, boolean]>([
    ['no filter', undefined, true],
    ['its id prefix', { id: 'def' }, true],
    ['its sandbox by prefix', { pod_sandbox_id: 'abc' }, true],
    ['another sandbox', { pod_sandbox_id: 'zzz' }, false],
    ['its state', { state: { state: 'CONTAINER_RUNNING' } }, true],
    ['exited', { state: { state: 'CONTAINER_EXITED' } }, false],
    ['its labels', { label_selector: { app: 'x' } }, true],
    ['other labels', { label_selector: { app: 'y' } }, false],
  ])('%s: %s', (_case, filter, expected) => {
    expect(containerMatches(container, filter)).toBe(expected);
  });
});

describe('exitOf', () => {
  it.each<[number | null, NodeJS.Signals | null, number, string]>([
    [0, null, 0, 'Completed'],
    [3, null, 3, 'Error'],
    [null, 'SIGKILL', 137, 'Error'],
    [null, 'SIGTERM', 143, 'Error'],
    [null, 'SIGINT', 130, 'Error'],
  ])('code %s, signal %s: %s (%s)', (code, signal, exitCode, reason) => {
    expect(exitOf(code, signal)).toEqual({ exitCode, reason });
  });
});
