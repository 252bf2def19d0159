import { statfsSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { loadProtoPackage } from '../grpc/proto-package.loader.js';
import { CriError } from './cri.error.js';
import type { CriRequest } from './cri.types.js';
import { imageMessage, type ImageStore } from './image.store.js';
import type { ProcessRuntime } from './process.runtime.js';
import {
  containerMessage,
  containerStatusMessage,
  nanos,
  podSandboxMessage,
  podSandboxStatusMessage,
} from './runtime.records.js';

export const RUNTIME_NAME = 'focal-process-runtime';
export const RUNTIME_VERSION = '0.1.0';

type Handler = (request: CriRequest) => unknown;

/** The services of the CRI package, as grpc-js loads them. */
interface CriPackage {
  runtime: { v1: { RuntimeService: grpc.ServiceClientConstructor; ImageService: grpc.ServiceClientConstructor } };
}

/** A unary handler: the result, or the CriError's gRPC status (NOT_FOUND is how the kubelet learns a thing is gone). */
function unary(handler: Handler): grpc.handleUnaryCall<CriRequest, unknown> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call.request))
      .then(
        (response) => callback(null, response ?? {}),
        (error: Error) => {
          const code = error instanceof CriError ? grpc.status[error.code] : grpc.status.INTERNAL;
          callback({ code, details: error.message, name: error.name, message: error.message });
        },
      );
  };
}

function runtimeHandlers(runtime: ProcessRuntime, handlers: readonly string[]): Record<string, Handler> {
  return {
    Version: () => ({
      version: '0.1.0',
      runtime_name: RUNTIME_NAME,
      runtime_version: RUNTIME_VERSION,
      runtime_api_version: 'v1',
    }),
    Status: () => ({
      status: {
        conditions: [
          { type: 'RuntimeReady', status: true, reason: '', message: '' },
          { type: 'NetworkReady', status: true, reason: '', message: '' },
        ],
      },
      info: {},
      runtime_handlers: handlers.map((name) => ({
        name,
        features: { recursive_read_only: false, user_namespaces: false },
      })),
    }),
    RuntimeConfig: () => ({ linux: { cgroup_driver: 'CGROUPFS' } }),
    UpdateRuntimeConfig: () => ({}),
    RunPodSandbox: (r) => ({ pod_sandbox_id: runtime.runPodSandbox(r.config, r.runtime_handler ?? '') }),
    StopPodSandbox: (r) => runtime.stopPodSandbox(r.pod_sandbox_id).then(() => ({})),
    RemovePodSandbox: (r) => runtime.removePodSandbox(r.pod_sandbox_id).then(() => ({})),
    PodSandboxStatus: (r) => {
      const sandbox = runtime.sandbox(r.pod_sandbox_id);
      return {
        status: podSandboxStatusMessage(sandbox),
        info: {},
        containers_statuses: [],
        timestamp: nanos().toString(),
      };
    },
    ListPodSandbox: (r) => ({ items: runtime.listSandboxes(r.filter).map(podSandboxMessage) }),
    CreateContainer: (r) => ({ container_id: runtime.createContainer(r.pod_sandbox_id, r.config) }),
    StartContainer: (r) => runtime.startContainer(r.container_id),
    StopContainer: (r) => runtime.stopContainer(r.container_id, Number(r.timeout ?? 0)).then(() => ({})),
    RemoveContainer: (r) => runtime.removeContainer(r.container_id).then(() => ({})),
    ListContainers: (r) => ({ containers: runtime.listContainers(r.filter).map(containerMessage) }),
    ContainerStatus: (r) => {
      const container = runtime.container(r.container_id);
      const logDirectory = runtime.sandbox(container.sandboxId).config.log_directory;
      return { status: containerStatusMessage(container, logDirectory), info: {} };
    },
    ExecSync: (r) =>
      runtime
        .execSync(r.container_id, r.cmd ?? [], Number(r.timeout ?? 0))
        .then(({ stdout, stderr, exitCode }) => ({ stdout, stderr, exit_code: exitCode })),
    ReopenContainerLog: (r) => runtime.reopenLog(r.container_id),
    // Stats come from the kubelet's cAdvisor, which sees no container cgroups here: the lists are empty.
    ListContainerStats: () => ({ stats: [] }),
    ListPodSandboxStats: () => ({ stats: [] }),
    UpdateContainerResources: () => ({}),
  };
}

function imageHandlers(images: ImageStore, root: string): Record<string, Handler> {
  return {
    PullImage: (r) => ({ image_ref: images.pull(r.image) }),
    ImageStatus: (r) => {
      const image = images.find(r.image?.image ?? '');
      return image ? { image: imageMessage(image), info: {} } : { info: {} };
    },
    ListImages: () => ({ images: images.list().map(imageMessage) }),
    RemoveImage: (r) => images.remove(r.image?.image ?? ''),
    ImageFsInfo: () => {
      const fs = statfsSync(root);
      const usage = {
        timestamp: nanos().toString(),
        fs_id: { mountpoint: root },
        used_bytes: { value: ((fs.blocks - fs.bfree) * fs.bsize).toString() },
        inodes_used: { value: (fs.files - fs.ffree).toString() },
      };
      return { image_filesystems: [usage], container_filesystems: [usage] };
    },
  };
}

/** Serves the runtime and image services on a unix socket, the kubelet's --container-runtime-endpoint. */
export async function serveCri(options: {
  protoFile: string;
  socket: string;
  runtime: ProcessRuntime;
  images: ImageStore;
  runtimeHandlers: readonly string[];
  stateRoot: string;
}): Promise<grpc.Server> {
  const cri = loadProtoPackage(options.protoFile) as unknown as CriPackage;
  const server = new grpc.Server();
  const bind = (handlers: Record<string, Handler>) =>
    Object.fromEntries(Object.entries(handlers).map(([name, handler]) => [name, unary(handler)]));
  server.addService(
    cri.runtime.v1.RuntimeService.service,
    bind(runtimeHandlers(options.runtime, options.runtimeHandlers)),
  );
  server.addService(cri.runtime.v1.ImageService.service, bind(imageHandlers(options.images, options.stateRoot)));
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${options.socket}`, grpc.ServerCredentials.createInsecure(), (error) =>
      error ? reject(error) : resolve(),
    ),
  );
  return server;
}
