import { KubeApiError, type StatusReason } from './kube-status.js';

/** A failure to answer instead of serving matching requests, such as a 500 on the next Deployment update. */
export interface FaultSpec {
  method?: string;
  /** A substring of, or a pattern for, the request path. */
  path: string | RegExp;
  code: number;
  reason?: StatusReason;
  message?: string;
  /** How many matching requests fail; 1 by default. */
  times?: number;
}

export class FaultInjector {
  private readonly faults: Array<FaultSpec & { remaining: number }> = [];

  add(spec: FaultSpec): void {
    this.faults.push({ ...spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.faults.length = 0;
  }

  /** Throws the first armed fault matching the request, using one of its repetitions. */
  check(method: string, path: string): void {
    const fault = this.faults.find((f) => f.remaining > 0 && matches(f, method, path));
    if (!fault) return;
    fault.remaining -= 1;
    throw new KubeApiError(
      fault.code,
      fault.reason ?? 'InternalError',
      fault.message ?? `injected fault (${fault.code})`,
    );
  }
}

function matches(fault: FaultSpec, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method) return false;
  return typeof fault.path === 'string' ? path.includes(fault.path) : fault.path.test(path);
}
