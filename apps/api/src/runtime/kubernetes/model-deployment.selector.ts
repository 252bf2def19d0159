import { type ModelDeployment, type ModelType, modelTypeSlug } from '@focal/contracts';

/** Label the API puts on the ModelDeployments it creates; selection does not rely on it (users may omit it). */
export const MODEL_TYPE_LABEL = 'focal.dev/model-type';

/** The name the API gives the ModelDeployment it creates for a model type: `grounding-dino`, `sam3`. */
export function modelDeploymentName(type: ModelType): string {
  return modelTypeSlug(type);
}

export interface Selection {
  /** The ModelDeployment that serves the type, if any. */
  chosen?: ModelDeployment;
  /** Every other ModelDeployment of the same type, best first. */
  others: ModelDeployment[];
}

const readyOf = (md: ModelDeployment) => md.status?.readyReplicas ?? 0;
const replicasOf = (md: ModelDeployment) => md.spec.replicas ?? 1;

/**
 * Which of the namespace's ModelDeployments answers for a model type. Users may apply any number
 * with any names; the one named after the type (the API's own) wins, then the one with the most
 * ready pods, so requests go where capacity is. Ties fall to the most replicas, then the oldest,
 * then the name, so the choice is stable between calls. Objects being deleted are ignored.
 */
export function selectModelDeployment(type: ModelType, all: readonly ModelDeployment[]): Selection {
  const own = modelDeploymentName(type);
  const candidates = all
    .filter((md) => md.spec?.modelType === type && !md.metadata.deletionTimestamp)
    .sort(
      (a, b) =>
        Number(b.metadata.name === own) - Number(a.metadata.name === own) ||
        readyOf(b) - readyOf(a) ||
        replicasOf(b) - replicasOf(a) ||
        (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
        (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
    );
  const [chosen, ...others] = candidates;
  return chosen ? { chosen, others } : { others };
}
