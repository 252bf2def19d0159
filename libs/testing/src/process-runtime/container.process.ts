/** A bind mount the kubelet asked for (CRI Mount): the host path, seen at `target` in the container. */
export interface BindMount {
  source: string;
  target: string;
  readOnly?: boolean;
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
export function mountScript(mounts: readonly BindMount[], keep: readonly string[] = []): string {
  const ordered = mountOrder(mounts);
  const sources = ordered.map(({ source }) => source);
  const hidden = keep.filter((folder) => ordered.some(({ target }) => within(folder, target)));
  const lines = ['set -e'];
  const fd = (i: number) => 10 + i;
  [...sources, ...hidden].forEach((folder, i) => lines.push(`exec ${fd(i)}<${quote(folder)}`));
  ordered.forEach((mount, i) => {
    // A file (the kubelet's /etc/hosts, a subPath of one key) is bound onto a file, a folder onto a folder.
    const target = quote(mount.target);
    lines.push(
      `if [ -d /proc/self/fd/${fd(i)} ]; then mkdir -p ${target}; ` +
        `else mkdir -p "$(dirname ${target})"; [ -e ${target} ] || : > ${target}; fi`,
    );
    lines.push(`mount --no-canonicalize --bind /proc/self/fd/${fd(i)} ${target}`);
    if (mount.readOnly) lines.push(`mount -o remount,bind,ro ${target}`);
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
export function mountOrder(mounts: readonly BindMount[]): BindMount[] {
  return [...mounts].sort((a, b) => a.target.localeCompare(b.target));
}

/** Who a container's processes run as: the pod's runAsUser, runAsGroup and supplemental groups (fsGroup too). */
export interface ProcessUser {
  uid: number;
  gid: number;
  groups: readonly number[];
}

/** `setpriv` in front of the program: the mounts are made as root, then the program runs as the pod's user. */
export function asUser(user: ProcessUser): string[] {
  const groups = user.groups.length > 0 ? `--groups=${user.groups.join(',')}` : '--clear-groups';
  return ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, groups, '--'];
}

/**
 * The command line that runs `argv` in its own mount namespace with the mounts in place, as `user` when given. As
 * root this is `unshare --mount`; otherwise a user namespace maps the caller to root inside it, which is enough
 * for bind mounts but maps no other user, so `user` is then ignored (the program runs as the caller).
 */
export function namespacedArgv(
  mounts: readonly BindMount[],
  keep: readonly string[],
  argv: string[],
  user?: ProcessUser,
): string[] {
  const root = process.getuid?.() === 0;
  const namespaces = root ? ['--mount'] : ['--user', '--map-root-user', '--mount'];
  const script = mountScript(mounts, keep);
  const program = user && root ? [...asUser(user), ...argv] : argv;
  // bash, not sh: descriptors above 9 (one per mount) need it.
  return ['unshare', ...namespaces, '--propagation', 'private', '--', '/bin/bash', '-c', script, 'pod', ...program];
}
