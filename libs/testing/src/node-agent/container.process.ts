import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import type { VolumeMount } from './pod.types.js';

export interface ContainerLaunch {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** volumeMounts resolved to host folders: the process sees each folder at its mountPath. */
  mounts: Array<{ source: string; mount: VolumeMount }>;
  logFile: string;
}

const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * The shell line that gives the process its volumes: a private mount namespace in which each volume's
 * folder is bind-mounted at its mountPath, so the program finds /var/run/secrets/kubernetes.io/serviceaccount,
 * /tmp or /models where a container would, and no other process sees them. Then it execs the program.
 */
export function mountScript(mounts: ContainerLaunch['mounts']): string {
  const lines = ['set -e'];
  for (const { source, mount } of mountOrder(mounts)) {
    const from = mount.subPath ? path.join(source, mount.subPath) : source;
    lines.push(`mkdir -p ${quote(mount.mountPath)}`, `mount --bind ${quote(from)} ${quote(mount.mountPath)}`);
    if (mount.readOnly) lines.push(`mount -o remount,bind,ro ${quote(mount.mountPath)}`);
  }
  lines.push('exec "$@"');
  return lines.join('\n');
}

const within = (child: string, parent: string) =>
  child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);

/**
 * A mount over a folder that holds other mounts' sources (a pod's /tmp when the agent's state lives
 * under /tmp) would hide them: such mounts go last. Otherwise parents before children, as the kubelet does.
 */
export function mountOrder(mounts: ContainerLaunch['mounts']): ContainerLaunch['mounts'] {
  const shadows = (m: ContainerLaunch['mounts'][number]) =>
    mounts.some((other) => other !== m && within(other.source, m.mount.mountPath));
  return [...mounts].sort(
    (a, b) => Number(shadows(a)) - Number(shadows(b)) || a.mount.mountPath.localeCompare(b.mount.mountPath),
  );
}

/**
 * Starts a container's program in its own process group (so SIGTERM and SIGKILL reach every child)
 * and its own mount namespace. As root this is `unshare --mount`; otherwise a user namespace maps
 * the caller to root inside it, which is enough for bind mounts.
 */
export function launchContainer(launch: ContainerLaunch): ChildProcess {
  mkdirSync(path.dirname(launch.logFile), { recursive: true });
  const log = openSync(launch.logFile, 'a');
  const namespaces = process.getuid?.() === 0 ? ['--mount'] : ['--user', '--map-root-user', '--mount'];
  const argv = [
    'unshare',
    ...namespaces,
    '--propagation',
    'private',
    '--',
    '/bin/sh',
    '-c',
    mountScript(launch.mounts),
    'pod',
    ...launch.argv,
  ];
  return spawn(argv[0] ?? 'unshare', argv.slice(1), {
    cwd: launch.cwd,
    env: launch.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
}
