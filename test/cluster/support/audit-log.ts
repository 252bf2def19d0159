import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { clusterEnv, kubectl, until } from './local-cluster.js';

/** One event of the API server's audit log (audit.k8s.io/v1, level Metadata), as far as the tests read it. */
export interface AuditEvent {
  stage: 'ResponseStarted' | 'ResponseComplete' | 'Panic';
  verb: string;
  requestURI: string;
  /** For a pod's bound ServiceAccount token, extra names the pod (authentication.kubernetes.io/pod-name). */
  user: { username: string; extra?: Record<string, string[]> };
  userAgent?: string;
  objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string };
  responseStatus?: { code?: number };
}

/** Verbs that change an object; get, list and watch only read. */
export const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'] as const;

/**
 * The real kube-apiserver's record of every request on ModelDeployments, Deployments, Services and
 * Leases (scripts/local-cluster.sh starts it with an audit policy that logs exactly those). A test marks where it starts and
 * reads what a client (the API's or the operator's ServiceAccount, a controller) asked of the server since: no request
 * count of a fake server, the server's own log.
 */
export class AuditLog {
  private readonly file = path.join(clusterEnv().state, 'audit', 'audit.log');

  /** Where the log ends now: events after it are the ones a test caused. */
  mark(): number {
    return existsSync(this.file) ? statSync(this.file).size : 0;
  }

  /**
   * The completed requests since `mark` in `namespace`. The server writes an event once it has answered, so a
   * request whose answer a client already has may not be in the file yet: first a request of our own is made
   * and waited for, and it is answered after every request that came before it.
   */
  async since(mark: number, namespace: string): Promise<AuditEvent[]> {
    const sentinel = `audit-sentinel-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    await kubectl(['get', 'modeldeployments', sentinel, '-n', namespace, '--ignore-not-found']);
    const events = await until(`the audit event of ${sentinel}`, async () => {
      const all = this.read(mark);
      return all.some((e) => e.objectRef?.name === sentinel) ? all : undefined;
    });
    return events.filter((e) => e.objectRef?.namespace === namespace && e.objectRef?.name !== sentinel);
  }

  private read(mark: number): AuditEvent[] {
    if (!existsSync(this.file)) return [];
    const text = readFileSync(this.file).subarray(mark).toString('utf8');
    return text
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) => JSON.parse(line) as AuditEvent)
      .filter((e) => e.stage === 'ResponseComplete' || e.verb === 'watch');
  }
}

export const serviceAccount = (namespace: string, name: string) => `system:serviceaccount:${namespace}:${name}`;

/** The pod whose bound token made the request, as the kubelet mints them (TokenRequest bound to the pod). */
export const podOf = (event: AuditEvent): string | undefined =>
  event.user.extra?.['authentication.kubernetes.io/pod-name']?.[0];

/**
 * A user's writes, as "verb resource/name" ("patch modeldeployments/dinov3"), of one resource when given, subresources
 * (/status, /scale) included as "resource/subresource". A user is a username, or `{ pod }` for the requests made with
 * one pod's token (two replicas share a ServiceAccount, not a pod).
 */
export function writesBy(events: AuditEvent[], user: string | { pod: string }, resource?: string): string[] {
  return writeEvents(events, user)
    .filter((e) => resource === undefined || e.objectRef?.resource === resource)
    .map(describeWrite);
}

/** A user's writes other than on Leases: what an operator did, without its leader election's renewals. */
export function reconcileWritesBy(events: AuditEvent[], user: string | { pod: string }): string[] {
  return writeEvents(events, user)
    .filter((e) => e.objectRef?.resource !== 'leases')
    .map(describeWrite);
}

function writeEvents(events: AuditEvent[], user: string | { pod: string }): AuditEvent[] {
  const made = (e: AuditEvent) => (typeof user === 'string' ? e.user.username === user : podOf(e) === user.pod);
  return events.filter((e) => made(e) && (WRITE_VERBS as readonly string[]).includes(e.verb));
}

function describeWrite(e: AuditEvent): string {
  const { resource: kind = '', subresource, name = '' } = e.objectRef ?? {};
  return `${e.verb} ${kind}${subresource ? `/${subresource}` : ''}/${name}`;
}

/** A user's reads that are not watches: what polling would look like. */
export function readsBy(events: AuditEvent[], username: string): AuditEvent[] {
  return events.filter((e) => e.user.username === username && (e.verb === 'get' || e.verb === 'list'));
}
