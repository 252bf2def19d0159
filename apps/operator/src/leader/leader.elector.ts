import type { LeaseApi } from '../cluster/cluster.ports.js';
import { isConflict } from '../cluster/kube-api.error.js';
import type { LeaseObject, LeaseSpec } from '../cluster/kube-objects.js';
import type { Clock } from '../common/clock.js';
import { errorMessage, type OperatorLog } from '../common/operator-log.js';
import type { LeadershipGate } from './leadership.gate.js';

export interface LeaderElectionOptions {
  namespace: string;
  leaseName: string;
  /** This process's holderIdentity; the pod name, so `kubectl get lease` names the leader. */
  identity: string;
  leaseDurationSeconds: number;
  renewPeriodMs: number;
  /** A leader that cannot renew for this long steps down, before others may take the Lease over. */
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

export interface LeadershipCallbacks {
  onStartedLeading(): void;
  onStoppedLeading(): void;
}

/** What one attempt found: we hold the Lease, someone else holds it, or the API could not be asked. */
export type AttemptResult = 'held' | 'taken' | 'failed';

/**
 * Leader election over a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it:
 * - a candidate takes the Lease when it is free (no holder, or released with an empty one) or when
 *   the holder has not renewed it for leaseDurationSeconds;
 * - expiry is judged by when this process last saw the Lease change, on its own clock, never by
 *   the renewTime written by another machine, so clock skew cannot make two leaders;
 * - every write is a conditional update on resourceVersion, so of two candidates only one wins;
 * - the leader renews every renewPeriod and steps down if renewals fail for renewDeadline, which is
 *   shorter than the lease duration, so it stops working before anyone else may start;
 * - stop() releases the Lease (empty holder) so a successor need not wait for expiry.
 */
export class LeaderElector implements LeadershipGate {
  private leading = false;
  private stopped = true;
  private loop?: Promise<void>;
  private wake?: () => void;
  private callbacks?: LeadershipCallbacks;
  /** The Lease's resourceVersion as last seen, and when (local time): the basis of expiry. */
  private observed?: { resourceVersion: string | undefined; at: number };
  private lastRenewAt = 0;

  constructor(
    private readonly api: LeaseApi,
    private readonly options: LeaderElectionOptions,
    private readonly clock: Clock,
    private readonly log: OperatorLog,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  /**
   * Leading, and renewed within renewDeadline: past it, another candidate may already hold the Lease (it waits a
   * lease duration, which is longer), so this process holds its writes until the next attempt decides.
   */
  mayAct(): boolean {
    return this.leading && this.clock.now().getTime() - this.lastRenewAt < this.options.renewDeadlineMs;
  }

  get identity(): string {
    return this.options.identity;
  }

  start(callbacks: LeadershipCallbacks): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.callbacks = callbacks;
    this.loop = this.run();
  }

  /** Ends the election loop; a leader calls onStoppedLeading, then releases the Lease. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake?.();
    await this.loop;
    if (!this.leading) return;
    this.leading = false;
    this.callbacks?.onStoppedLeading();
    await this.release();
  }

  /** One attempt to take or renew the Lease. */
  async tryAcquireOrRenew(): Promise<AttemptResult> {
    const { namespace, leaseName: name, identity, leaseDurationSeconds } = this.options;
    const now = this.clock.now();
    const time = microTime(now);
    try {
      const lease = await this.api.getLease(namespace, name);
      if (!lease) {
        const created = await this.api.createLease(namespace, {
          metadata: { name, namespace },
          spec: {
            holderIdentity: identity,
            leaseDurationSeconds,
            acquireTime: time,
            renewTime: time,
            leaseTransitions: 0,
          },
        });
        this.observe(created, now);
        return 'held';
      }
      this.observe(lease, now);
      const spec: LeaseSpec = lease.spec ?? {};
      const mine = spec.holderIdentity === identity;
      if (spec.holderIdentity && !mine && !this.expired(spec, now)) return 'taken';
      const next: LeaseObject = {
        ...lease,
        spec: {
          ...spec,
          holderIdentity: identity,
          leaseDurationSeconds,
          renewTime: time,
          acquireTime: mine ? (spec.acquireTime ?? time) : time,
          leaseTransitions: (spec.leaseTransitions ?? 0) + (mine ? 0 : 1),
        },
      };
      this.observe(await this.api.replaceLease(namespace, name, next), now);
      return 'held';
    } catch (error) {
      if (isConflict(error)) return 'taken';
      this.log.warn({
        msg: 'leader election request failed',
        lease: `${namespace}/${name}`,
        error: errorMessage(error),
      });
      return 'failed';
    }
  }

  /** Gives the Lease up (empty holder, 1 s duration) if this process still holds it. */
  async release(): Promise<void> {
    const { namespace, leaseName: name, identity } = this.options;
    try {
      const lease = await this.api.getLease(namespace, name);
      if (!lease || lease.spec?.holderIdentity !== identity) return;
      const time = microTime(this.clock.now());
      await this.api.replaceLease(namespace, name, {
        ...lease,
        spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: time, renewTime: time },
      });
      this.log.log({ msg: 'released leadership', lease: `${namespace}/${name}`, identity });
    } catch (error) {
      this.log.warn({ msg: 'could not release the Lease', lease: `${namespace}/${name}`, error: errorMessage(error) });
    }
  }

  private async run(): Promise<void> {
    const { renewPeriodMs, retryPeriodMs, renewDeadlineMs, identity } = this.options;
    while (!this.stopped) {
      const result = await this.tryAcquireOrRenew();
      if (this.stopped) break;
      const now = this.clock.now().getTime();
      if (result === 'held') {
        this.lastRenewAt = now;
        if (!this.leading) {
          this.leading = true;
          this.log.log({
            msg: 'became leader',
            identity,
            lease: `${this.options.namespace}/${this.options.leaseName}`,
          });
          this.callbacks?.onStartedLeading();
        }
      } else if (this.leading && (result === 'taken' || now - this.lastRenewAt >= renewDeadlineMs)) {
        this.leading = false;
        this.log.warn({
          msg: 'lost leadership',
          identity,
          reason: result === 'taken' ? 'taken over' : 'renew deadline passed',
        });
        this.callbacks?.onStoppedLeading();
      }
      await this.sleep(this.leading && result === 'held' ? renewPeriodMs : retryPeriodMs);
    }
  }

  private observe(lease: LeaseObject, now: Date): void {
    const resourceVersion = lease.metadata.resourceVersion;
    if (this.observed?.resourceVersion !== resourceVersion) this.observed = { resourceVersion, at: now.getTime() };
  }

  private expired(spec: LeaseSpec, now: Date): boolean {
    const durationMs = (spec.leaseDurationSeconds ?? this.options.leaseDurationSeconds) * 1000;
    return (this.observed?.at ?? now.getTime()) + durationMs <= now.getTime();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      function finish(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = finish;
    });
  }
}

/** MicroTime: RFC 3339 with six fractional digits, the form the API server parses for Lease times. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
