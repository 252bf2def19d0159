import type { ModelDeployment, ModelDeploymentStatus } from '@focal/contracts';
import { ModelDeploymentApiError } from './model-deployment-api.error.js';
import type {
  ModelDeploymentClient,
  ModelDeploymentEvent,
  ModelDeploymentSpecPatch,
  ModelDeploymentWatch,
} from './model-deployment.client.js';

type Listener = { onEvent: (event: ModelDeploymentEvent) => void; onEnd: (error: Error | null) => void };

const clone = <T>(value: T): T => structuredClone(value);

/**
 * ModelDeploymentClient in memory, with the API server semantics the runtime relies on: a
 * resourceVersion per write, generation bumped by spec changes, 404/409, and watch events.
 * Tests can make the next call of a kind fail, and play the operator with setStatus.
 */
export class InMemoryModelDeploymentClient implements ModelDeploymentClient {
  readonly namespace = 'models';
  readonly calls: string[] = [];
  private readonly objects = new Map<string, ModelDeployment>();
  private readonly listeners = new Set<Listener>();
  private readonly failures: Array<{ call: string; error: ModelDeploymentApiError }> = [];
  private readonly hidden = new Set<string>();
  private revision = 0;

  /** The next `call` (list, get, create, patch, watch) throws `error`. */
  failNext(call: string, error: ModelDeploymentApiError): void {
    this.failures.push({ call, error });
  }

  /** The next list leaves this object out, like a read that raced with someone else's create. */
  hideFromNextList(name: string): void {
    this.hidden.add(name);
  }

  async list() {
    this.record('list');
    const items = [...this.objects.values()].filter((md) => !this.hidden.has(md.metadata.name ?? '')).map(clone);
    this.hidden.clear();
    return { items, resourceVersion: String(this.revision) };
  }

  async get(name: string) {
    this.record('get');
    const object = this.objects.get(name);
    return object && clone(object);
  }

  async create(body: ModelDeployment) {
    this.record('create');
    const name = body.metadata.name ?? '';
    if (this.objects.has(name)) throw new ModelDeploymentApiError(409, `"${name}" already exists`, 'AlreadyExists');
    return this.store('ADDED', {
      ...clone(body),
      metadata: { ...clone(body.metadata), namespace: this.namespace, generation: 1 },
    });
  }

  async patchSpec(name: string, spec: ModelDeploymentSpecPatch) {
    this.record(`patch ${name} ${JSON.stringify(spec)}`, 'patch');
    const current = this.objects.get(name);
    if (!current) throw new ModelDeploymentApiError(404, `"${name}" not found`, 'NotFound');
    const next = clone(current);
    next.spec = { ...next.spec, ...spec };
    if (JSON.stringify(next.spec) !== JSON.stringify(current.spec))
      next.metadata.generation = (current.metadata.generation ?? 1) + 1;
    return this.store('MODIFIED', next);
  }

  async watch(
    _resourceVersion: string,
    onEvent: Listener['onEvent'],
    onEnd: Listener['onEnd'],
  ): Promise<ModelDeploymentWatch> {
    this.record('watch');
    const listener = { onEvent, onEnd };
    this.listeners.add(listener);
    return { stop: () => this.listeners.delete(listener) };
  }

  /** What a user's `kubectl apply` would do: create or replace the spec, outside the runtime. */
  apply(md: ModelDeployment): ModelDeployment {
    const name = md.metadata.name ?? '';
    const current = this.objects.get(name);
    const generation = current ? (current.metadata.generation ?? 1) + 1 : 1;
    const next = { ...clone(md), metadata: { ...clone(md.metadata), namespace: this.namespace, generation } };
    return this.store(current ? 'MODIFIED' : 'ADDED', next);
  }

  setStatus(name: string, status: ModelDeploymentStatus): ModelDeployment {
    const current = this.objects.get(name);
    if (!current) throw new Error(`no ModelDeployment ${name}`);
    return this.store('MODIFIED', { ...clone(current), status: clone(status) });
  }

  remove(name: string): void {
    const current = this.objects.get(name);
    if (!current) return;
    this.objects.delete(name);
    this.revision++;
    const object = {
      ...clone(current),
      metadata: { ...clone(current.metadata), resourceVersion: String(this.revision) },
    };
    for (const listener of this.listeners) listener.onEvent({ type: 'DELETED', object });
  }

  /** Ends every open watch, with an error or as the server's timeout would. */
  endWatches(error: Error | null = null): void {
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener.onEnd(error);
  }

  /** The stored object, without going through a call. */
  peek(name: string): ModelDeployment | undefined {
    const object = this.objects.get(name);
    return object && clone(object);
  }

  get watchCount(): number {
    return this.listeners.size;
  }

  private store(type: 'ADDED' | 'MODIFIED', object: ModelDeployment): ModelDeployment {
    this.revision++;
    object.metadata.resourceVersion = String(this.revision);
    this.objects.set(object.metadata.name ?? '', object);
    for (const listener of this.listeners) listener.onEvent({ type, object: clone(object) });
    return clone(object);
  }

  private record(call: string, kind = call): void {
    this.calls.push(call);
    const index = this.failures.findIndex((failure) => failure.call === kind);
    if (index >= 0) throw this.failures.splice(index, 1)[0].error;
  }
}
