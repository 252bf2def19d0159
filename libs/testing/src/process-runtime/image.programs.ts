import path from 'node:path';
import { API_NODE_FLAGS } from '../focal-api/api-node-flags.js';

/**
 * The container runtime's stand-in: which local program runs an image. No image is pulled or built;
 * each image the chart and the operator use maps to the program its Dockerfile would start.
 */
export interface ImageProgram {
  /** argv to run, given the container's command and args (Kubernetes' entrypoint/cmd override rules). */
  argv(command: string[] | undefined, args: string[] | undefined, podIp: string): string[];
  /**
   * How the program is told to listen on the pod's address: a pod has its own network namespace, where
   * 0.0.0.0 means "the pod's interfaces"; here the pod's interface is its 127.x address.
   */
  listenEnv(env: Record<string, string>, podIp: string): Record<string, string>;
  /** The image's WORKDIR: the repo for Focal's images (/app in the Dockerfiles), else the pod's own folder. */
  workdir?: 'repo' | 'pod';
}

/** Images are matched on their repository's last two path segments, so a registry prefix changes nothing. */
export function repositoryOf(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const repo = colon > lastSlash ? withoutDigest.slice(0, colon) : withoutDigest;
  return repo.split('/').slice(-2).join('/');
}

const bindPodIp = (hostVariable: string) => (env: Record<string, string>, podIp: string) =>
  !env[hostVariable] || env[hostVariable] === '0.0.0.0' ? { [hostVariable]: podIp } : {};

function nodeEntry(repo: string, entry: string, hostVariable: string, nodeFlags: readonly string[] = []): ImageProgram {
  const main = path.join(repo, 'dist', entry);
  return {
    // The Dockerfiles run CMD ["node", <flags>, "<entry>"] from WORKDIR /app (here: the repo) under tini. As in
    // Kubernetes, a pod's command replaces the entrypoint and its args replace CMD.
    argv: (command, args) => {
      if (command?.length) return [...command, ...(args ?? [])];
      return args?.length ? args : ['node', ...nodeFlags, main];
    },
    listenEnv: bindPodIp(hostVariable),
    workdir: 'repo',
  };
}

const redis: ImageProgram = {
  // The redis image's entrypoint (docker-entrypoint.sh) prepends redis-server when the first argument is
  // a flag or a .conf file; args replace its CMD ["redis-server"].
  argv: (command, args, podIp) => {
    let argv = command?.length ? [...command, ...(args ?? [])] : args?.length ? [...args] : ['redis-server'];
    if (argv[0]?.startsWith('-') || argv[0]?.endsWith('.conf')) argv = ['redis-server', ...argv];
    return [...argv, '--bind', podIp, '--protected-mode', 'no'];
  },
  listenEnv: () => ({}),
  workdir: 'pod',
};

/**
 * An image a user built to serve one model (FROM focal/inference, the family and model fixed in its entrypoint):
 * whatever the pod's env says, it serves DINOv3's demo model. The tests use it for a pod of the wrong family.
 */
export const DINOV3_ONLY_REPOSITORY = 'acme/dinov3-server';

function servingOnly(worker: ImageProgram, modelType: string, modelId: string): ImageProgram {
  return {
    ...worker,
    argv: (command, args, podIp) => [
      'env',
      `FOCAL_MODEL_TYPE=${modelType}`,
      `FOCAL_MODEL_ID=${modelId}`,
      ...worker.argv(command, args, podIp),
    ],
  };
}

export function imagePrograms(repo: string): Map<string, ImageProgram> {
  const worker = nodeEntry(repo, 'apps/inference/src/main.js', 'FOCAL_HOST');
  return new Map([
    ['focal/api', nodeEntry(repo, 'apps/api/src/main.js', 'FOCAL_HOST', API_NODE_FLAGS)],
    ['focal/operator', nodeEntry(repo, 'apps/operator/src/main.js', 'FOCAL_OPERATOR_METRICS_HOST')],
    ['focal/inference', worker],
    [DINOV3_ONLY_REPOSITORY, servingOnly(worker, 'dinov3', 'demo')],
    // The CUDA image runs the same worker; with no GPU here, onnxruntime falls back to CPU and says so.
    ['focal/inference-cuda', nodeEntry(repo, 'apps/inference/src/main.js', 'FOCAL_HOST')],
    ['library/redis', redis],
    ['redis', redis],
  ]);
}
