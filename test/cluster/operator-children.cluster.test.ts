import { jest } from '@jest/globals';
import { getJson } from '../support/test-images.js';
import { AuditLog, reconcileWritesBy, serviceAccount, writesBy } from './support/audit-log.js';
import {
  OPERATOR_SELECTOR,
  apply,
  conditionReasons,
  deleteNamespace,
  demoModelDeployment,
  freshNamespace,
  installFocal,
  kubectl,
  kubectlJson,
  modelDeployment,
  modelDeploymentEvents,
  modelDeploymentInPhase,
  modelSelector,
  operatorUrl,
  pods,
  readyPods,
  until,
} from './support/local-cluster.js';

jest.setTimeout(300_000);

const GARBAGE_COLLECTOR = serviceAccount('kube-system', 'generic-garbage-collector');

/**
 * The operator's children on the real control plane, with the chart's operator pod: the garbage collector, the
 * Deployment controller and the Events API are the real ones, and every write is read from the API server's audit
 * log. (test/operator keeps the fine-grained cases on the fake API server, where a test can write a Deployment's
 * status itself or make the server fail on demand.)
 */
describe("the operator's children on the local control plane", () => {
  let ns: string;
  const audit = new AuditLog();
  const operatorUser = () => serviceAccount(ns, 'focal-operator');
  const exists = async (kind: string, name: string) =>
    (await kubectlJson<{ items: unknown[] }>(['get', kind, '-n', ns, '--field-selector', `metadata.name=${name}`]))
      .items.length > 0;
  const ready = (name: string) => modelDeploymentInPhase(ns, name, 'Ready');

  beforeAll(async () => {
    ns = await freshNamespace('children');
    await installFocal(ns, ['--set-json', `api.extraEnv=[{"name":"FOCAL_QUEUE_PREFIX","value":"${ns}"}]`]);
  });
  afterAll(async () => {
    if (ns) await deleteNamespace(ns);
  });

  it('leaves a deleted ModelDeployment to the garbage collector, and recreates none of its children', async () => {
    await apply(ns, demoModelDeployment('gone', 'dinov3'));
    await ready('gone');
    const mark = audit.mark();
    await kubectl(['delete', 'modeldeployment', 'gone', '-n', ns, '--wait=true']);
    await until(
      'the Deployment, its ReplicaSet and pods and the Service gone',
      async () => {
        const left = await kubectlJson<{ items: unknown[] }>([
          'get',
          'deployments,replicasets,pods,services',
          '-n',
          ns,
          '-l',
          modelSelector('gone'),
        ]);
        return left.items.length === 0 ? true : undefined;
      },
      120_000,
    );
    const events = await audit.since(mark, ns);
    // The children carried the ModelDeployment as their controller owner; the real garbage collector removed them.
    expect(writesBy(events, GARBAGE_COLLECTOR)).toEqual(
      expect.arrayContaining(['delete deployments/focal-model-gone', 'delete services/focal-model-gone']),
    );
    expect(writesBy(events, operatorUser(), 'deployments')).toEqual([]);
    expect(writesBy(events, operatorUser(), 'services')).toEqual([]);
  });

  it('recreates a Deployment someone deleted, once, and the model comes back Ready', async () => {
    await apply(ns, demoModelDeployment('again', 'depth_anything'));
    await ready('again');
    const first = await kubectlJson(['get', 'deployment', 'focal-model-again', '-n', ns]);
    const mark = audit.mark();
    await kubectl(['delete', 'deployment', 'focal-model-again', '-n', ns, '--wait=true']);
    const second = await until('a new Deployment', async () => {
      if (!(await exists('deployments', 'focal-model-again'))) return undefined;
      const d = await kubectlJson(['get', 'deployment', 'focal-model-again', '-n', ns]);
      return d.metadata.uid !== first.metadata.uid ? d : undefined;
    });
    expect(second.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'ModelDeployment', name: 'again' }),
    ]);
    await readyPods(ns, modelSelector('again'), 1);
    await ready('again');
    const writes = writesBy(await audit.since(mark, ns), operatorUser(), 'deployments');
    expect(writes).toEqual(['create deployments/focal-model-again']);
  });

  it('updates the Deployment once when the spec changes, rolls the pod over, and says so in an Event', async () => {
    await apply(ns, demoModelDeployment('batch', 'dinov3'));
    await ready('batch');
    const [before] = await readyPods(ns, modelSelector('batch'), 1);
    const mark = audit.mark();
    await kubectl([
      'patch',
      'modeldeployment',
      'batch',
      '-n',
      ns,
      '--type=merge',
      '-p',
      '{"spec":{"batching":{"maxBatchSize":8,"maxDelayMs":5}}}',
    ]);
    const [after] = await until('the rolled-over pod', async () => {
      const list = await readyPods(ns, modelSelector('batch'), 1);
      return list[0]?.name !== before?.name ? list : undefined;
    });
    const pod = await kubectlJson(['get', 'pod', after?.name ?? '', '-n', ns]);
    const env = Object.fromEntries(pod.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ FOCAL_MAX_BATCH_SIZE: '8', FOCAL_MAX_BATCH_DELAY_MS: '5' });
    await ready('batch');
    const events = await audit.since(mark, ns);
    expect(writesBy(events, operatorUser(), 'deployments')).toEqual(['update deployments/focal-model-batch']);
    expect(writesBy(events, operatorUser(), 'services')).toEqual([]);
    const reasons = (await modelDeploymentEvents(ns, 'batch')).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['CreatedDeployment', 'CreatedService', 'UpdatedDeployment']));
  });

  it('writes nothing when restarted with nothing changed', async () => {
    await apply(ns, demoModelDeployment('steady', 'dinov3'));
    await ready('steady');
    const [old] = await readyPods(ns, OPERATOR_SELECTOR, 1);
    const mark = audit.mark();
    await kubectl(['delete', 'pod', old?.name ?? '', '-n', ns, '--wait=true']);
    const [next] = await until('a new operator pod', async () => {
      const list = await readyPods(ns, OPERATOR_SELECTOR, 1);
      return list[0]?.name !== old?.name ? list : undefined;
    });
    // Once the new leader has reconciled every ModelDeployment it lists, it has had its chance to write.
    const models = (await kubectlJson<{ items: unknown[] }>(['get', 'modeldeployments', '-n', ns])).items.length;
    await until('the new operator to reconcile every ModelDeployment', async () => {
      if (!next) throw new Error('no operator pod');
      const metrics = String((await getJson(operatorUrl(next, '/metrics'))).body);
      const done = /^focal_operator_reconciles_total\{[^}]*result="success"[^}]*\} (\d+)/m.exec(metrics);
      return done && Number(done[1]) >= models ? true : undefined;
    });
    const writes = reconcileWritesBy(await audit.since(mark, ns), operatorUser());
    expect(writes).toEqual([]);
    expect((await modelDeployment(ns, 'steady')).status.phase).toBe('Ready');
  });

  it('does not take over a Deployment it does not control, and reports why', async () => {
    const mine = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'focal-model-mine', labels: { app: 'mine' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'mine' } },
        template: { metadata: { labels: { app: 'mine' } }, spec: { containers: [{ name: 'c', image: 'redis:7' }] } },
      },
    };
    await apply(ns, JSON.stringify(mine));
    const mark = audit.mark();
    await apply(ns, demoModelDeployment('mine', 'dinov3'));
    const failed = await modelDeploymentInPhase(ns, 'mine', 'Failed');
    expect(failed.status.conditions.find((c: { type: string }) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'ChildNotOwned',
    });
    const deployment = await kubectlJson(['get', 'deployment', 'focal-model-mine', '-n', ns]);
    expect(deployment.spec.template.spec.containers[0].image).toBe('redis:7');
    expect(deployment.metadata.ownerReferences).toBeUndefined();
    expect(writesBy(await audit.since(mark, ns), operatorUser(), 'deployments')).toEqual([]);
    expect(await pods(ns, modelSelector('mine'))).toEqual([]);
  });

  it('refuses a name too long for its Service, creating nothing, and says why', async () => {
    const name = `m${'x'.repeat(51)}`;
    const mark = audit.mark();
    await apply(ns, demoModelDeployment(name, 'dinov3'));
    const failed = await modelDeploymentInPhase(ns, name, 'Failed');
    expect(failed.status.message).toMatch(/exceed 63 characters/);
    expect(conditionReasons(failed).Ready).toBe('False/InvalidName');
    const events = await audit.since(mark, ns);
    expect(writesBy(events, operatorUser(), 'deployments')).toEqual([]);
    expect(writesBy(events, operatorUser(), 'services')).toEqual([]);
    expect(writesBy(events, operatorUser(), 'modeldeployments')).toEqual([`update modeldeployments/status/${name}`]);
  });

  it('gives a demo cpu model the CPU image, no init container, and none of the GPU bits', async () => {
    await apply(ns, demoModelDeployment('plain', 'dinov3'));
    await ready('plain');
    const deployment = await kubectlJson(['get', 'deployment', 'focal-model-plain', '-n', ns]);
    const pod = deployment.spec.template.spec;
    expect(pod.containers.map((c: { image: string }) => c.image)).toEqual(['focal/inference:local']);
    expect(pod.containers[0].resources?.limits?.['nvidia.com/gpu']).toBeUndefined();
    expect([pod.initContainers, pod.nodeSelector, pod.tolerations, pod.runtimeClassName]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const env = Object.fromEntries(
      pod.containers[0].env.map((e: { name: string; value?: string }) => [e.name, e.value]),
    );
    expect(env).toMatchObject({ FOCAL_MODEL_ID: 'demo', FOCAL_DEVICE: 'cpu' });
    expect(env).not.toHaveProperty('HF_HUB_OFFLINE');
  });
});
