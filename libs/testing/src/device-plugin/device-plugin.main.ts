import { parseArgs } from 'node:util';
import { GpuDevicePlugin } from './gpu-device.plugin.js';
import { gpuDeviceIds } from './gpu-devices.js';

/**
 * The GPU node's device plugin (scripts/local-cluster.sh starts it with the node's kubelet): offers `--count` GPUs
 * of `--resource` to the kubelet whose plugin registration folder is `--registry-dir`. See gpu-device.plugin.ts.
 */
const { values } = parseArgs({
  options: {
    'registry-dir': { type: 'string' },
    'device-plugin-proto': { type: 'string' },
    'registration-proto': { type: 'string' },
    node: { type: 'string' },
    resource: { type: 'string', default: 'nvidia.com/gpu' },
    count: { type: 'string', default: '2' },
  },
});

const log = (entry: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);

function required(name: 'registry-dir' | 'device-plugin-proto' | 'registration-proto' | 'node'): string {
  const value = values[name];
  if (!value) throw new Error(`--${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--count must be a positive integer, got ${values.count}`);
  const plugin = new GpuDevicePlugin({
    registryDir: required('registry-dir'),
    devicePluginProto: required('device-plugin-proto'),
    registrationProto: required('registration-proto'),
    resourceName: values.resource ?? 'nvidia.com/gpu',
    deviceIds: gpuDeviceIds(required('node'), count),
    log,
  });
  await plugin.start();
  log({ msg: 'device plugin serving', socket: plugin.socket });
  const stop = () => void plugin.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: Error) => {
  log({ msg: 'device plugin failed', error: error.stack ?? error.message });
  process.exit(1);
});
