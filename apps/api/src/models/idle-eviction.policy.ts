/** What the idle unloader knows about one ready model at one instant (times in epoch ms). */
export interface IdleCandidate {
  pinned: boolean;
  inFlight: number;
  readyAt: number;
  lastUsedAt: number | undefined;
}

export interface IdlePolicy {
  idleUnloadSeconds: number;
  evictionProtectionSeconds: number;
}

/**
 * A ready model is unloaded once nothing used it for `idleUnloadSeconds`, unless it is pinned, serving a request,
 * or became ready less than `evictionProtectionSeconds` ago (a model loaded for a request that has not arrived yet,
 * or a prewarm, must not be evicted before it was used). Idle time counts from the later of its last use and
 * its readiness.
 */
export function shouldUnloadIdle(model: IdleCandidate, policy: IdlePolicy, now: number): boolean {
  if (policy.idleUnloadSeconds <= 0 || model.pinned || model.inFlight > 0) return false;
  if (now - model.readyAt < policy.evictionProtectionSeconds * 1000) return false;
  const idleSince = Math.max(model.readyAt, model.lastUsedAt ?? 0);
  return now - idleSince >= policy.idleUnloadSeconds * 1000;
}
