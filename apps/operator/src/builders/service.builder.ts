import type { ModelDeployment } from '@focal/contracts';
import type { ServiceObject } from '../cluster/kube-objects.js';
import { childMetadata, MODEL_HTTP_PORT, MODEL_PORT_NAME, selectorLabels } from './model-workload.names.js';
import { withSpecHash } from './spec-hash.js';

/**
 * The desired Service: a ClusterIP in front of the model pods, so the API reaches any ready replica at
 * http://focal-model-<name>.<namespace>.svc:8080.
 */
export function buildService(md: ModelDeployment): ServiceObject {
  return withSpecHash({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: childMetadata(md),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(md),
      ports: [{ name: MODEL_PORT_NAME, port: MODEL_HTTP_PORT, targetPort: MODEL_PORT_NAME, protocol: 'TCP' }],
    },
  });
}
