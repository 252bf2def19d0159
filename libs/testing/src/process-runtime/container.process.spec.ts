import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mountOrder, mountScript, namespacedArgv } from './container.process.js';

const m = (source: string, target: string, extra: { readOnly?: boolean } = {}) => ({ source, target, ...extra });

describe('mountOrder', () => {
  it('mounts parents before children, as the kubelet does', () => {
    const order = mountOrder([m('/s/b', '/data/sub'), m('/s/c', '/models'), m('/s/a', '/data')]);
    expect(order.map((x) => x.target)).toEqual(['/data', '/data/sub', '/models']);
  });
});

describe('mountScript', () => {
  it('opens every source before the first mount and binds it from its descriptor', () => {
    const script = mountScript([m('/s/token', '/var/run/secrets/x', { readOnly: true }), m("/s/it's", '/q')]);
    expect(script.split('\n')).toEqual([
      'set -e',
      `exec 10<'/s/it'\\''s'`,
      "exec 11<'/s/token'",
      "if [ -d /proc/self/fd/10 ]; then mkdir -p '/q'; else mkdir -p \"$(dirname '/q')\"; [ -e '/q' ] || : > '/q'; fi",
      "mount --no-canonicalize --bind /proc/self/fd/10 '/q'",
      "if [ -d /proc/self/fd/11 ]; then mkdir -p '/var/run/secrets/x'; else mkdir -p \"$(dirname '/var/run/secrets/x')\"; [ -e '/var/run/secrets/x' ] || : > '/var/run/secrets/x'; fi",
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
    // A private mount namespace needs root or an unprivileged user namespace; both exist where the process runtime runs.
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

  it('binds a file onto a file, making it and its folder where they are missing (as for /etc/hosts)', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'focal-mounts-'));
    writeFileSync(path.join(root, 'hosts'), '127.0.0.1 pod');
    const target = path.join(root, 'etc', 'hosts');
    const [command = 'unshare', ...args] = namespacedArgv([m(path.join(root, 'hosts'), target)], [], ['cat', target]);
    const result = spawnSync(command, args, { encoding: 'utf8' });
    expect([result.stderr, result.stdout]).toEqual(['', '127.0.0.1 pod']);
  });
});
