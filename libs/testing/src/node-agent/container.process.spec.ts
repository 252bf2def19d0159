import { mountOrder, mountScript } from './container.process.js';

const m = (source: string, mountPath: string) => ({ source, mount: { name: mountPath, mountPath } });

describe('mountOrder', () => {
  it('puts a mount that would hide other sources last (a pod /tmp over a state folder in /tmp)', () => {
    const order = mountOrder([
      m('/tmp/state/pods/u/volumes/tmp', '/tmp'),
      m('/tmp/state/pods/u/volumes/token', '/var/run/secrets/kubernetes.io/serviceaccount'),
      m('/tmp/state/pods/u/volumes/cache', '/models'),
    ]).map((x) => x.mount.mountPath);
    expect(order).toEqual(['/models', '/var/run/secrets/kubernetes.io/serviceaccount', '/tmp']);
  });

  it('mounts parents before children otherwise', () => {
    const order = mountOrder([m('/s/b', '/data/sub'), m('/s/a', '/data')]).map((x) => x.mount.mountPath);
    expect(order).toEqual(['/data', '/data/sub']);
  });
});

describe('mountScript', () => {
  it('binds each source at its mountPath, read-only where asked, then execs the program', () => {
    const script = mountScript([
      { source: '/s/token', mount: { name: 't', mountPath: '/var/run/secrets/x', readOnly: true } },
      { source: "/s/it's", mount: { name: 'q', mountPath: '/q', subPath: 'sub' } },
    ]);
    expect(script.split('\n')).toEqual([
      'set -e',
      "mkdir -p '/q'",
      `mount --bind '/s/it'\\''s/sub' '/q'`,
      "mkdir -p '/var/run/secrets/x'",
      "mount --bind '/s/token' '/var/run/secrets/x'",
      "mount -o remount,bind,ro '/var/run/secrets/x'",
      'exec "$@"',
    ]);
  });
});
