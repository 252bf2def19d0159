import type { ObjectMeta } from '../cluster/kube-objects.js';
import { modelDeployment } from './model-deployment.spec-support.js';
import {
  childName,
  childNameProblem,
  isControlledBy,
  modelEndpoint,
  ownerKeyOf,
  ownerReference,
  selectorString,
} from './model-workload.names.js';
import { canonicalJson, specHash } from './spec-hash.js';

describe('model workload names', () => {
  it.each([
    ['sam3', 'focal', 'focal-model-sam3', 'http://focal-model-sam3.focal.svc:8080'],
    ['depth-anything', 'default', 'focal-model-depth-anything', 'http://focal-model-depth-anything.default.svc:8080'],
  ])('%s in %s is served by %s at %s', (name, namespace, child, endpoint) => {
    const md = modelDeployment({}, { name, namespace });
    expect(childName(name)).toBe(child);
    expect(modelEndpoint(md)).toBe(endpoint);
  });

  it('prints the pod selector sorted, as the scale subresource reports it', () => {
    expect(selectorString(modelDeployment({}, { name: 'dino' }))).toBe(
      'app.kubernetes.io/instance=dino,app.kubernetes.io/name=focal-model',
    );
  });

  it.each<[string, string, RegExp | undefined]>([
    ['a short name', 'sam3', undefined],
    ['51 characters, the longest that fits', 'a'.repeat(51), undefined],
    ['52 characters', 'a'.repeat(52), /exceed 63 characters.*at most 51/],
    ['a dotted subdomain name', 'sam3.v2', /not a DNS-1035 label/],
  ])('child name problem for %s', (_case, name, problem) => {
    const found = childNameProblem(modelDeployment({}, { name }));
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });

  it.each<[string, ObjectMeta, string | undefined]>([
    [
      'a child controlled by a ModelDeployment',
      { namespace: 'focal', ownerReferences: [ownerReference(modelDeployment())] },
      'focal/sam3',
    ],
    [
      'an owner that is not the controller',
      { namespace: 'focal', ownerReferences: [{ ...ownerReference(modelDeployment()), controller: false }] },
      undefined,
    ],
    [
      'a controller of another kind',
      {
        namespace: 'focal',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'u', controller: true }],
      },
      undefined,
    ],
    ['no owner', { namespace: 'focal' }, undefined],
  ])('owner key of %s', (_case, metadata, key) => {
    expect(ownerKeyOf(metadata)).toBe(key);
  });

  it('recognises only children controlled by this very resource (same uid)', () => {
    const md = modelDeployment();
    const recreated = modelDeployment({}, { uid: 'another-uid' });
    const metadata = { ownerReferences: [ownerReference(md)] };
    expect(isControlledBy(metadata, md)).toBe(true);
    expect(isControlledBy(metadata, recreated)).toBe(false);
  });
});

describe('spec hash', () => {
  it('does not depend on key order, and skips undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"x":0,"y":1}]},"b":1}',
    );
    expect(specHash({ a: 1, b: 2 })).toBe(specHash({ b: 2, a: 1 }));
    expect(specHash([1, 2])).not.toBe(specHash([2, 1]));
  });
});
