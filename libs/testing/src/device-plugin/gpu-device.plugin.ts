import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadProtoPackage } from '../grpc/proto-package.loader.js';
import { allocateResponse, type AllocateRequest } from './gpu-devices.js';

/** The device plugin API version the kubelet's device manager speaks. */
export const DEVICE_PLUGIN_VERSION = 'v1beta1';

interface DevicePluginPackage {
  v1beta1: { DevicePlugin: grpc.ServiceClientConstructor };
}
interface PluginRegistrationPackage {
  pluginregistration: { Registration: grpc.ServiceClientConstructor };
}

export interface GpuDevicePluginOptions {
  /** The kubelet's plugin registration folder (<root-dir>/plugins_registry), which its plugin watcher watches. */
  registryDir: string;
  /** k8s.io/kubelet's deviceplugin/v1beta1 and pluginregistration/v1 api.proto, of the kubelet's own release. */
  devicePluginProto: string;
  registrationProto: string;
  resourceName: string;
  deviceIds: readonly string[];
  log: (entry: Record<string, unknown>) => void;
}

/**
 * NVIDIA's device plugin's part on a node with no GPU. It puts a socket in the kubelet's plugin registration folder
 * that answers the plugin watcher (a DevicePlugin named after the resource) and serves the DevicePlugin API, so the
 * kubelet's own device manager advertises `nvidia.com/gpu` in the node's capacity, admits pods against it,
 * allocates devices to containers (checkpointed) and passes what Allocate answers (NVIDIA_VISIBLE_DEVICES) to the
 * container runtime. The devices are always healthy.
 *
 * Why the watcher and not the Registration call on `device-plugins/kubelet.sock`: that socket's path is fixed at
 * /var/lib/kubelet whatever the kubelet's root folder, so the machine's kubelets (two nodes, two clusters) would
 * share it; the registration folder is each kubelet's own, and a restarted kubelet finds the socket there again.
 */
export class GpuDevicePlugin {
  private readonly devicePlugin: DevicePluginPackage;
  private readonly registration: PluginRegistrationPackage;
  private server?: grpc.Server;
  private readonly streams = new Set<grpc.ServerWritableStream<unknown, unknown>>();

  constructor(private readonly options: GpuDevicePluginOptions) {
    this.devicePlugin = loadProtoPackage(options.devicePluginProto) as unknown as DevicePluginPackage;
    this.registration = loadProtoPackage(options.registrationProto) as unknown as PluginRegistrationPackage;
  }

  /** The socket, named after the resource, in the registration folder. */
  get socket(): string {
    return path.join(this.options.registryDir, `${this.options.resourceName.replace(/[^a-z0-9]+/gi, '-')}.sock`);
  }

  async start(): Promise<void> {
    mkdirSync(this.options.registryDir, { recursive: true });
    rmSync(this.socket, { force: true });
    const server = new grpc.Server();
    server.addService(this.registration.pluginregistration.Registration.service, this.registrationHandlers());
    server.addService(this.devicePlugin.v1beta1.DevicePlugin.service, this.devicePluginHandlers());
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(`unix://${this.socket}`, grpc.ServerCredentials.createInsecure(), (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const stream of this.streams) stream.end();
    this.streams.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    rmSync(this.socket, { force: true });
  }

  private registrationHandlers(): grpc.UntypedServiceImplementation {
    return {
      GetInfo: unary(() => ({
        type: 'DevicePlugin',
        name: this.options.resourceName,
        endpoint: this.socket,
        supported_versions: [DEVICE_PLUGIN_VERSION],
      })),
      NotifyRegistrationStatus: unary((request) => {
        const status = request as { plugin_registered: boolean; error: string };
        this.options.log({
          msg: status.plugin_registered ? 'registered' : 'registration refused',
          resource: this.options.resourceName,
          devices: this.options.deviceIds,
          ...(status.error ? { error: status.error } : {}),
        });
        return {};
      }),
    };
  }

  private devicePluginHandlers(): grpc.UntypedServiceImplementation {
    return {
      GetDevicePluginOptions: unary(() => ({ pre_start_required: false, get_preferred_allocation_available: false })),
      ListAndWatch: (stream: grpc.ServerWritableStream<unknown, unknown>) => {
        // The device list, then the stream stays open: the kubelet counts the devices gone when it closes.
        this.streams.add(stream);
        stream.on('cancelled', () => this.streams.delete(stream));
        stream.write({ devices: this.options.deviceIds.map((ID) => ({ ID, health: 'Healthy' })) });
      },
      Allocate: unary((request) => {
        const response = allocateResponse(request as AllocateRequest, this.options.deviceIds);
        this.options.log({ msg: 'allocated', devices: response.container_responses.map((c) => c.envs) });
        return response;
      }),
      GetPreferredAllocation: unary(() => ({ container_responses: [] })),
      PreStartContainer: unary(() => ({})),
    };
  }
}

function unary(handler: (request: unknown) => unknown): grpc.handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    try {
      callback(null, handler(call.request));
    } catch (error) {
      callback({ code: grpc.status.INVALID_ARGUMENT, details: (error as Error).message });
    }
  };
}
