import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { builtinResourceTypes } from './builtin.resources.js';
import { FOCAL_CRD_FILE, loadCrdFile } from './crd.loader.js';
import { resourceTypesFromCrd, type CustomResourceDefinition } from './custom-resource.types.js';
import { FaultInjector, type FaultSpec } from './fault.injector.js';
import type { KubeObject } from './kube-object.js';
import { KubeletSimulator, type DeploymentStatusFields } from './kubelet.simulator.js';
import { kubeConfigOptions, kubeConfigYaml, type FakeKubeConfigOptions } from './kubeconfig.js';
import { ObjectStore } from './object.store.js';
import { handleRequest, type HandlerContext, type RequestRecord } from './request.handler.js';
import { ResourceOperations, type DeleteOptions, type DeleteResult } from './resource.operations.js';
import { ResourceRegistry, storageKeyOf } from './resource.registry.js';
import { WatchGate } from './watch.gate.js';
import { WatchHub } from './watch.hub.js';

export interface FakeKubeApiServerOptions {
  /** Custom resources to serve; the repository's ModelDeployment CRD by default. */
  crds?: CustomResourceDefinition[];
  /** Events a watch can resume from; older resourceVersions get 410. Default 1000. */
  historyLimit?: number;
  /** The bearer token the kubeconfig carries. Default `fake-token`. */
  token?: string;
  /**
   * Refuse requests without that token (401). Default true, to catch clients built without the
   * kubeconfig's credentials. kubectl never sends a token over plain HTTP, so turn it off for kubectl.
   */
  requireToken?: boolean;
  /** The kubeconfig context's namespace. Default `default`. */
  namespace?: string;
  /** Mark every Deployment ready shortly after each spec change. Default false. */
  autoReadyDeployments?: boolean;
  /** Send BOOKMARK events this often to watches that allow them. Default never (see sendBookmarks). */
  bookmarkIntervalMs?: number;
}

/** Resource names for the helper methods, in the `plural.group` spelling. */
export const FAKE_KUBE_RESOURCES = {
  pods: 'pods',
  services: 'services',
  secrets: 'secrets',
  configMaps: 'configmaps',
  events: 'events',
  deployments: 'deployments.apps',
  leases: 'leases.coordination.k8s.io',
  modelDeployments: 'modeldeployments.focal.dev',
} as const;

/**
 * An in-process Kubernetes API server on 127.0.0.1 (plain HTTP, random port) that speaks the
 * REST and watch protocol @kubernetes/client-node uses. State lives in memory; test helpers read
 * and write it through the same semantics as HTTP requests, and simulate the kubelet.
 */
export class FakeKubeApiServer {
  readonly registry = new ResourceRegistry();
  private readonly hub: WatchHub;
  private readonly store: ObjectStore;
  private readonly operations: ResourceOperations;
  private readonly gate: WatchGate;
  private readonly faults = new FaultInjector();
  private readonly kubelet: KubeletSimulator;
  private readonly log: RequestRecord[] = [];
  private readonly token: string;
  private readonly namespace: string;
  private server?: Server;
  private bookmarkTimer?: NodeJS.Timeout;

  constructor(private readonly options: FakeKubeApiServerOptions = {}) {
    for (const type of builtinResourceTypes()) this.registry.register(type);
    for (const crd of options.crds ?? loadCrdFile(FOCAL_CRD_FILE)) {
      for (const type of resourceTypesFromCrd(crd)) this.registry.register(type);
    }
    this.hub = new WatchHub(options.historyLimit ?? 1000);
    this.store = new ObjectStore(this.hub);
    this.operations = new ResourceOperations(this.store, this.registry);
    this.gate = new WatchGate(this.hub);
    this.kubelet = new KubeletSimulator(
      this.operations,
      this.registry.byName(FAKE_KUBE_RESOURCES.deployments),
      this.hub,
    );
    this.kubelet.autoReady(options.autoReadyDeployments ?? false);
    this.token = options.token ?? 'fake-token';
    this.namespace = options.namespace ?? 'default';
  }

  async start(): Promise<void> {
    const context: HandlerContext = {
      registry: this.registry,
      operations: this.operations,
      store: this.store,
      hub: this.hub,
      gate: this.gate,
      faults: this.faults,
      token: this.options.requireToken === false ? undefined : this.token,
      issuedToken: this.token,
      log: this.log,
    };
    const server = createServer((request, response) => void handleRequest(context, request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    if (this.options.bookmarkIntervalMs) {
      this.bookmarkTimer = setInterval(() => this.sendBookmarks(), this.options.bookmarkIntervalMs);
      this.bookmarkTimer.unref();
    }
  }

  /** Ends open watches and connections, so clients see their streams close. */
  async stop(): Promise<void> {
    clearInterval(this.bookmarkTimer);
    this.kubelet.autoReady(false);
    this.hub.closeAll();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('FakeKubeApiServer is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /**
   * For `kc.loadFromOptions(server.kubeConfig())`. With `client`, the token names that client, and
   * `requests()` records the name, so a test can tell one client's calls from another's.
   */
  kubeConfig(client?: string): FakeKubeConfigOptions {
    return kubeConfigOptions(this.url, this.clientToken(client), this.namespace);
  }

  /** For `kc.loadFromString(server.kubeConfigYaml())` or a kubeconfig file; `client` as for kubeConfig. */
  kubeConfigYaml(client?: string): string {
    return kubeConfigYaml(this.url, this.clientToken(client), this.namespace);
  }

  private clientToken(client: string | undefined): string {
    return client ? `${this.token}.${client}` : this.token;
  }

  /** The global revision counter, i.e. the resourceVersion of the latest write. */
  get resourceVersion(): number {
    return this.store.resourceVersion;
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(storageKeyOf(this.registry.byName(resource)), namespace, name);
  }

  list(resource: string, namespace?: string): KubeObject[] {
    return this.store.list(storageKeyOf(this.registry.byName(resource)), namespace);
  }

  /** Creates as a POST would (defaults, validation, uid, generation); the namespace comes from the object. */
  create(resource: string, object: KubeObject): KubeObject {
    return this.operations.create(this.registry.byName(resource), object.metadata.namespace, object);
  }

  /** Replaces as a PUT would; omit metadata.resourceVersion for an unconditional write. */
  update(resource: string, object: KubeObject): KubeObject {
    const type = this.registry.byName(resource);
    const { namespace, name = '' } = object.metadata;
    const current = this.operations.get(type, namespace, name);
    const body = { ...object, metadata: { resourceVersion: current.metadata.resourceVersion, ...object.metadata } };
    return this.operations.update(type, namespace, name, body);
  }

  /** Applies a JSON merge patch as a PATCH would. */
  patch(resource: string, namespace: string | undefined, name: string, mergePatch: unknown): KubeObject {
    return this.operations.patch(
      this.registry.byName(resource),
      namespace,
      name,
      'application/merge-patch+json',
      mergePatch,
    );
  }

  delete(resource: string, namespace: string | undefined, name: string, options: DeleteOptions = {}): DeleteResult {
    return this.operations.delete(this.registry.byName(resource), namespace, name, options);
  }

  /** Replaces an object's status through its status subresource, as a controller would. */
  setStatus(resource: string, namespace: string | undefined, name: string, status: unknown): KubeObject {
    const type = this.registry.byName(resource);
    const current = this.operations.get(type, namespace, name);
    return this.operations.update(type, namespace, name, { ...current, status }, { subresource: 'status' });
  }

  /** The kubelet's side: merge fields such as readyReplicas into a Deployment's status. */
  setDeploymentStatus(namespace: string, name: string, fields: DeploymentStatusFields): KubeObject {
    return this.kubelet.setDeploymentStatus(namespace, name, fields);
  }

  /** Every desired replica ready and available, observedGeneration current. */
  markDeploymentReady(namespace: string, name: string): KubeObject {
    return this.kubelet.markDeploymentReady(namespace, name);
  }

  autoReadyDeployments(enabled: boolean): void {
    this.kubelet.autoReady(enabled);
  }

  /** Forgets watch history up to a revision (all of it by default): resuming from before it gets 410. */
  compactHistory(throughVersion: number = this.store.resourceVersion): void {
    this.hub.compact(throughVersion);
  }

  /** Ends every open watch and holds new watch requests until resumeWatches, like a network partition. */
  pauseWatches(): void {
    this.gate.pause();
  }

  resumeWatches(): void {
    this.gate.resume();
  }

  /** Ends every open watch from the server side, as the API server does at its request timeout. */
  closeWatches(): void {
    this.hub.closeAll();
  }

  /** Sends a BOOKMARK at the current resourceVersion to every watch that allowed bookmarks. */
  sendBookmarks(): void {
    this.hub.bookmark(this.store.resourceVersion);
  }

  /** Answers matching requests with an error Status instead of serving them. */
  failNext(fault: FaultSpec): void {
    this.faults.add(fault);
  }

  requests(): readonly RequestRecord[] {
    return this.log;
  }

  clearRequests(): void {
    this.log.length = 0;
  }
}
