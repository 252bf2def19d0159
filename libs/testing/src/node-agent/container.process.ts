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
  /** Host folders the program needs to see at their own paths even under a mount (the repo). */
  keep: string[];
  logFile: string;
}

const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * The shell script that gives the process its volumes: a private mount namespace in which each volume's
 * folder is bind-mounted at its mountPath, so the program finds /var/run/secrets/kubernetes.io/serviceaccount,
 * /tmp or /models where a container would, and no other process sees them. Then it execs the program.
 *
 * Every source is opened as a file descriptor before the first mount and bound from /proc/self/fd/N:
 * a pod's /tmp mounted over a state folder in /tmp would otherwise hide the sources still to mount.
 * `keep` are host folders the program itself needs (the repo with dist/ and node_modules); one that a
 * mount hides is bound back at its own path, so the program runs wherever the checkout lives.
 */
export function mountScript(mounts: ContainerLaunch['mounts'], keep: string[] = []): string {
  const ordered = mountOrder(mounts);
  const sources = ordered.map(({ source, mount }) => (mount.subPath ? path.join(source, mount.subPath) : source));
  const hidden = keep.filter((folder) => ordered.some(({ mount }) => within(folder, mount.mountPath)));
  const lines = ['set -e'];
  const fd = (i: number) => 10 + i;
  [...sources, ...hidden].forEach((folder, i) => lines.push(`exec ${fd(i)}<${quote(folder)}`));
  ordered.forEach(({ mount }, i) => {
    lines.push(`mkdir -p ${quote(mount.mountPath)}`);
    lines.push(`mount --no-canonicalize --bind /proc/self/fd/${fd(i)} ${quote(mount.mountPath)}`);
    if (mount.readOnly) lines.push(`mount -o remount,bind,ro ${quote(mount.mountPath)}`);
  });
  hidden.forEach((folder, i) => {
    const n = fd(sources.length + i);
    lines.push(`mkdir -p ${quote(folder)}`, `mount --no-canonicalize --bind /proc/self/fd/${n} ${quote(folder)}`);
  });
  [...sources, ...hidden].forEach((_, i) => lines.push(`exec ${fd(i)}<&-`));
  lines.push('exec "$@"');
  return lines.join('\n');
}

const within = (child: string, parent: string) =>
  child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);

/** Parents before children, as the kubelet mounts them. */
export function mountOrder(mounts: ContainerLaunch['mounts']): ContainerLaunch['mounts'] {
  return [...mounts].sort((a, b) => a.mount.mountPath.localeCompare(b.mount.mountPath));
}

/**
 * The command line that runs `argv` in its own mount namespace with the mounts in place. As root this
 * is `unshare --mount`; otherwise a user namespace maps the caller to root inside it, which is enough
 * for bind mounts.
 */
export function namespacedArgv(mounts: ContainerLaunch['mounts'], keep: string[], argv: string[]): string[] {
  const namespaces = process.getuid?.() === 0 ? ['--mount'] : ['--user', '--map-root-user', '--mount'];
  const script = mountScript(mounts, keep);
  // bash, not sh: descriptors above 9 (one per mount) need it.
  return ['unshare', ...namespaces, '--propagation', 'private', '--', '/bin/bash', '-c', script, 'pod', ...argv];
}

/** Starts a container's program in its own process group (so SIGTERM and SIGKILL reach every child). */
export function launchContainer(launch: ContainerLaunch): ChildProcess {
  mkdirSync(path.dirname(launch.logFile), { recursive: true });
  const log = openSync(launch.logFile, 'a');
  const [command = 'unshare', ...args] = namespacedArgv(launch.mounts, launch.keep, launch.argv);
  return spawn(command, args, {
    cwd: launch.cwd,
    env: launch.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
}
