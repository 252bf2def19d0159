import { jest } from '@jest/globals';
import {
  OPERATOR_SELECTOR,
  apply,
  containerLog,
  deleteNamespace,
  demoModelDeployment,
  freshNamespace,
  installFocal,
  kubectl,
  kubectlJson,
  modelSelector,
  readyPods,
  run,
  KUBECTL,
  until,
} from './support/local-cluster.js';

jest.setTimeout(300_000);

/**
 * The chart's RBAC on a server that enforces it (--authorization-mode=Node,RBAC): the operator's pod
 * authenticates with a TokenRequest token of its ServiceAccount, so its Role is all it may do.
 */
describe('the chart RBAC on the real API server', () => {
  let ns: string;

  beforeAll(async () => {
    ns = await freshNamespace('rbac');
    await installFocal(ns, [
      '--set-json',
      'operator.extraEnv=[{"name":"FOCAL_OPERATOR_BACKOFF_MAX_MS","value":"1000"}]',
      '--set-json',
      `api.extraEnv=[{"name":"FOCAL_QUEUE_PREFIX","value":"${ns}"}]`,
    ]);
  });
  afterAll(() => deleteNamespace(ns));

  const canI = async (verb: string, resource: string, sa: string) => {
    const result = await run(KUBECTL, [
      'auth',
      'can-i',
      verb,
      resource,
      '-n',
      ns,
      `--as=system:serviceaccount:${ns}:${sa}`,
    ]);
    return result.stdout.trim();
  };

  it.each([
    ['create', 'deployments.apps', 'focal-operator', 'yes'],
    ['patch', 'modeldeployments.focal.dev/status', 'focal-operator', 'yes'],
    ['get', 'secrets', 'focal-operator', 'no'],
    ['create', 'modeldeployments.focal.dev', 'focal-operator', 'no'],
    ['patch', 'modeldeployments.focal.dev/scale', 'focal-api', 'yes'],
    ['watch', 'pods', 'focal-api', 'yes'],
    ['delete', 'pods', 'focal-api', 'no'],
    ['create', 'deployments.apps', 'focal-api', 'no'],
  ])('%s %s as %s: %s', async (verb, resource, sa, expected) => {
    expect(await canI(verb, resource, sa)).toBe(expected);
  });

  it('removing one verb from the Role makes the operator call fail with 403, and restoring it heals', async () => {
    const role = await kubectlJson(['get', 'role', 'focal-operator', '-n', ns]);
    const original = JSON.stringify(role);
    const rules = role.rules.map((rule: { resources: string[]; verbs: string[] }) =>
      rule.resources.includes('deployments') ? { ...rule, verbs: rule.verbs.filter((v) => v !== 'create') } : rule,
    );
    expect(JSON.stringify(rules)).not.toBe(JSON.stringify(role.rules));
    await kubectl(['patch', 'role', 'focal-operator', '-n', ns, '--type=merge', '-p', JSON.stringify({ rules })]);

    await apply(ns, demoModelDeployment('denied', 'dinov3'));
    const [operator] = await readyPods(ns, OPERATOR_SELECTOR, 1);
    if (!operator) throw new Error('no operator pod');
    const line = await until('the operator to log the 403', async () =>
      (await containerLog(ns, operator, 'operator'))
        .split('\n')
        .find((l) => l.includes('reconcile failed') && l.includes('denied')),
    );
    expect(line).toContain(`system:serviceaccount:${ns}:focal-operator`);
    expect(line).toMatch(/forbidden|403/i);
    expect(line).toContain('deployments');
    const deployments = await kubectlJson<{ items: Array<{ metadata: { name: string } }> }>([
      'get',
      'deployments',
      '-n',
      ns,
    ]);
    expect(deployments.items.map((d) => d.metadata.name)).not.toContain('focal-model-denied');

    const restored = JSON.parse(original);
    await kubectl([
      'patch',
      'role',
      'focal-operator',
      '-n',
      ns,
      '--type=merge',
      '-p',
      JSON.stringify({ rules: restored.rules }),
    ]);
    await readyPods(ns, modelSelector('denied'), 1);
  });
});
