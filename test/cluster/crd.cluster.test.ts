import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  REPO,
  deleteNamespace,
  freshNamespace,
  kubectl,
  kubectlJson,
  run,
  KUBECTL,
  until,
} from './support/local-cluster.js';

/** The real kube-apiserver judges the CRD: structural schema, OpenAPI validation and CEL, with its own messages. */
describe('ModelDeployment CRD on the real API server', () => {
  let ns: string;

  beforeAll(async () => {
    await kubectl(['apply', '--server-side', '--force-conflicts', '-f', path.join(REPO, 'crds')]);
    ns = await freshNamespace('crd');
  });
  afterAll(() => deleteNamespace(ns));

  it('is Established and its names are accepted', async () => {
    const crd = await until('the CRD to be Established', async () => {
      const crd = await kubectlJson(['get', 'crd', 'modeldeployments.focal.dev']);
      const established = crd.status?.conditions?.find((c: any) => c.type === 'Established');
      return established?.status === 'True' ? crd : undefined;
    });
    const names = crd.status.conditions.find((c: any) => c.type === 'NamesAccepted');
    expect(names.status).toBe('True');
    expect(crd.status.acceptedNames.shortNames).toEqual(['md']);
  });

  it.each(readdirSync(path.join(REPO, 'deploy/examples')).filter((f) => f.endsWith('.yaml')))(
    'accepts deploy/examples/%s (server-side dry run)',
    async (file) => {
      const out = await kubectl([
        'apply',
        '--dry-run=server',
        '-n',
        ns,
        '-f',
        path.join(REPO, 'deploy/examples', file),
      ]);
      expect(out).toMatch(/modeldeployment\.focal\.dev\/\S+ (created|configured) \(server dry run\)/);
    },
  );

  const invalid = (spec: string) =>
    `apiVersion: focal.dev/v1alpha1\nkind: ModelDeployment\nmetadata: {name: bad}\nspec: ${spec}\n`;

  it.each([
    ['an unknown modelType', '{modelType: yolo, modelId: demo}', /spec\.modelType: Unsupported value: "yolo"/],
    [
      'replicas < 0',
      '{modelType: sam3, modelId: demo, replicas: -1}',
      /spec\.replicas: Invalid value: -1: spec\.replicas in body should be greater than or equal to 0/,
    ],
    ['a bad device', '{modelType: sam3, modelId: demo, device: tpu}', /spec\.device: Unsupported value: "tpu"/],
    ['a missing modelId', '{modelType: sam3}', /spec\.modelId: Required value/],
    [
      'a modelId that is no model reference',
      '{modelType: sam3, modelId: "not a model"}',
      /spec\.modelId: Invalid value: "not a model"/,
    ],
    [
      'the CEL rule on tolerations (value with operator Exists)',
      '{modelType: sam3, modelId: demo, tolerations: [{key: nvidia.com/gpu, operator: Exists, value: "x"}]}',
      /spec\.tolerations\[0\]: Invalid value: value must be empty when operator is Exists/,
    ],
  ])("refuses %s with the server's message", async (_, spec, message) => {
    const result = await run(KUBECTL, ['apply', '-n', ns, '-f', '-'], invalid(spec));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/The ModelDeployment "bad" is invalid/);
    expect(result.stderr).toMatch(message);
  });

  it('keeps the CEL rule from refusing a valid toleration', async () => {
    const out = await kubectl(
      ['apply', '--dry-run=server', '-n', ns, '-f', '-'],
      invalid('{modelType: sam3, modelId: demo, tolerations: [{key: nvidia.com/gpu, operator: Exists}]}'),
    );
    expect(out).toContain('created (server dry run)');
  });
});
