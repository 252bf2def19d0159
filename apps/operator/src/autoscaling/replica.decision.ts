import { AUTOSCALING_DEFAULTS, type AutoscalingReason, type AutoscalingSpec } from '@focal/contracts';

/** spec.autoscaling with the CRD's defaults filled in. */
export interface AutoscalingPolicy {
  minReplicas: number;
  maxReplicas: number;
  targetInFlight: number;
  scaleDownDelaySeconds: number;
}

export function policyOf(spec: AutoscalingSpec): AutoscalingPolicy {
  return {
    minReplicas: spec.minReplicas ?? AUTOSCALING_DEFAULTS.minReplicas,
    maxReplicas: spec.maxReplicas,
    targetInFlight: spec.targetInFlight ?? AUTOSCALING_DEFAULTS.targetInFlight,
    scaleDownDelaySeconds: spec.scaleDownDelaySeconds ?? AUTOSCALING_DEFAULTS.scaleDownDelaySeconds,
  };
}

/** What one decision looks at: the load is in-flight requests summed over every API pod. */
export interface DecisionInput {
  policy: AutoscalingPolicy;
  /** spec.replicas now. */
  currentReplicas: number;
  /** The newest sample. */
  latest: number;
  /** The moving average over the autoscaler's window. */
  average: number;
  /** Epoch ms. */
  now: number;
}

/** Carried from one decision of a ModelDeployment to the next: since when the load asked for fewer replicas. */
export interface DecisionMemory {
  belowSince?: number;
  /** The most replicas asked for since then: what a scale-down goes to, so it never undershoots. */
  peakBelow?: number;
}

export interface Decision {
  desired: number;
  /** Set when desired differs from the current replica count. */
  reason?: AutoscalingReason;
  message: string;
  memory: DecisionMemory;
}

/** Load values are averages of integers: round away float noise so 2.0000001 / 1 does not ask for 3. */
const replicasFor = (load: number, target: number) => Math.ceil(Math.round((load / target) * 1e6) / 1e6);

const formatLoad = (load: number) => (Number.isInteger(load) ? String(load) : load.toFixed(2));

/**
 * KubeAI's rule, desired = ceil(load / targetInFlight) clamped to [min, max], with two asymmetries:
 * - scale-up is immediate and follows the larger of the newest sample and the average, so a burst (or the first
 *   request held at zero replicas) is answered on the next tick instead of after the average catches up;
 * - scale-down (to zero included) waits until the averaged load has asked for fewer replicas for
 *   scaleDownDelaySeconds without a break, then goes to the most replicas asked for during that time.
 * A replica count outside [min, max] (spec edited, or set by kubectl scale) is brought back at once.
 */
export function decideReplicas(input: DecisionInput, memory: DecisionMemory): Decision {
  const { policy, currentReplicas: current, now } = input;
  const clamp = (n: number) => Math.min(policy.maxReplicas, Math.max(policy.minReplicas, n));
  const target = policy.targetInFlight;
  const load = Math.max(input.latest, input.average);
  const upTo = clamp(replicasFor(load, target));
  const recommended = clamp(replicasFor(input.average, target));
  const why = (replicas: number, used: number) =>
    `${formatLoad(used)} in flight / targetInFlight ${target} → ${replicas} replica(s) (min ${policy.minReplicas}, max ${policy.maxReplicas})`;

  if (current > policy.maxReplicas || current < policy.minReplicas) {
    const desired = Math.max(clamp(current), upTo);
    const message = `${current} replica(s) is outside [${policy.minReplicas}, ${policy.maxReplicas}]; ${why(desired, load)}`;
    return { desired, reason: 'OutOfRange', message, memory: {} };
  }
  if (upTo > current) return { desired: upTo, reason: 'ScaledUp', message: why(upTo, load), memory: {} };
  if (recommended >= current) return { desired: current, message: why(current, input.average), memory: {} };

  const belowSince = memory.belowSince ?? now;
  const peakBelow = Math.max(memory.peakBelow ?? 0, recommended);
  const waitedMs = now - belowSince;
  if (waitedMs < policy.scaleDownDelaySeconds * 1000) {
    const message = `${why(recommended, input.average)}; scaling down after ${policy.scaleDownDelaySeconds} s below ${current}`;
    return { desired: current, message, memory: { belowSince, peakBelow } };
  }
  const reason = peakBelow === 0 ? 'ScaledToZero' : 'ScaledDown';
  const message = `${why(peakBelow, input.average)} for ${Math.round(waitedMs / 1000)} s (scaleDownDelaySeconds ${policy.scaleDownDelaySeconds})`;
  return { desired: peakBelow, reason, message, memory: {} };
}
