export { FakeKubeApiServer, FAKE_KUBE_RESOURCES, type FakeKubeApiServerOptions } from './fake-kube-api.server.js';
export { FOCAL_CRD_FILE, loadCrdFile } from './crd.loader.js';
export type { CustomResourceDefinition } from './custom-resource.types.js';
export type { FaultSpec } from './fault.injector.js';
export type { KubeObject, ObjectMeta, OwnerReference } from './kube-object.js';
export { KubeApiError, type KubeStatus, type StatusReason } from './kube-status.js';
export type { DeploymentStatusFields } from './kubelet.simulator.js';
export type { FakeKubeConfigOptions } from './kubeconfig.js';
export type { RequestRecord } from './request.handler.js';
export type { DeleteOptions, DeleteResult } from './resource.operations.js';
export {
  compileStructuralSchema,
  createStructuralAjv,
  toJsonSchema,
  type OpenApiSchema,
} from './structural-schema.validator.js';
