import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mountOrder, mountScript, namespacedArgv } from './container.process.js';

const m = (source: string, mountPath: string, extra: { readOnly?: boolean; subPath?: string } = {}) => ({
  source,
  mount: { name: mountPath, mountPath, ...extra },
});

describe('mountOrder', () => {
  it('mounts parents before children, as the kubelet does', () => {
    const order = mountOrder([m('/s/b', '/data/sub'), m('/s/c', '/models'), m('/s/a', '/data')]);
    expect(order.map((x) => x.mount.mountPath)).toEqual(['/data', '/data/sub', '/models']);
  });
});

describe('mountScript', () => {
  it('opens every source before the first mount and binds it from its descriptor', () => {
    const script = mountScript([
      m('/s/token', '/var/run/secrets/x', { readOnly: true }),
      m("/s/it's", '/q', { subPath: 'sub' }),
    ]);
    expect(script.split('\n')).toEqual([
      'set -e',
      `exec 10<'/s/it'\\''s/sub'`,
      "exec 11<'/s/token'",
      "mkdir -p '/q'",
      "mount --no-canonicalize --bind /proc/self/fd/10 '/q'",
      "mkdir -p '/var/run/secrets/x'",
      "mount --no-canonicalize --bind /proc/self/fd/11 '/var/run/secrets/x'",
      "mount -o remount,bind,ro '/var/run/secrets/x'",
      'exec 10<&-',
      'exec 11<&-',
      'exec "$@"',
    ]);
  });

  it('binds a kept folder back only when a mount hides it', () => {
    expect(mountScript([m('/s/tmp', '/tmp')], ['/tmp/ci/repo'])).toContain(
      "mount --no-canonicalize --bind /proc/self/fd/11 '/tmp/ci/repo'",
    );
    expect(mountScript([m('/s/tmp', '/tmp')], ['/work/repo'])).not.toContain('/work/repo');
  });

  it('keeps sources and the repo visible under a pod /tmp mounted over them (run in a mount namespace)', () => {
    // A private mount namespace needs root or an unprivileged user namespace; both exist where the node agent runs.
    const root = mkdtempSync(path.join(tmpdir(), 'focal-mounts-'));
    for (const dir of ['podtmp', 'token', 'repo']) mkdirSync(path.join(root, dir));
    writeFileSync(path.join(root, 'token', 'token'), 'jwt');
    writeFileSync(path.join(root, 'repo', 'main.js'), 'code');
    const [command = 'unshare', ...args] = namespacedArgv(
      [m(path.join(root, 'podtmp'), '/tmp'), m(path.join(root, 'token'), path.join(root, 'sa'))],
      [path.join(root, 'repo')],
      ['/bin/sh', '-c', `cat ${root}/sa/token ${root}/repo/main.js; ls /tmp | tr '\\n' ' '`],
    );
    const result = spawnSync(command, args, { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    // /tmp is the pod's own folder (it holds only what the kept path needed), the token and repo still read.
    expect(result.stdout).toBe(`jwtcode${path.basename(path.dirname(root)) === 'tmp' ? `${root.split('/')[2]} ` : ''}`);
  });
});
