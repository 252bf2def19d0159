import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * scripts/local-cluster.sh with a state folder and ports of the bench's own, so a developer's cluster
 * and the test suite's are left alone; kubectl and helm from .tools/bin, pointed at it.
 */
export class LocalClusterDriver {
  readonly state = join(tmpdir(), `focal-bench-cluster-${process.pid}`);
  readonly kubeconfig = join(this.state, 'admin.kubeconfig');
  private readonly env = {
    ...process.env,
    FOCAL_LOCAL_CLUSTER_DIR: this.state,
    // FOCAL_BENCH_LC_* move the bench's cluster off its default ports (another cluster may hold them).
    FOCAL_LC_APISERVER_PORT: process.env.FOCAL_BENCH_LC_APISERVER_PORT ?? '16643',
    FOCAL_LC_ETCD_PORT: process.env.FOCAL_BENCH_LC_ETCD_PORT ?? '23990',
    FOCAL_LC_REDIS_PORT: process.env.FOCAL_BENCH_LC_REDIS_PORT ?? '6395',
    FOCAL_LC_POD_SUBNET_BASE: process.env.FOCAL_BENCH_LC_POD_SUBNET_BASE ?? '210',
    KUBECONFIG: this.kubeconfig,
  };
  readonly redisUrl = `redis://127.0.0.1:${this.env.FOCAL_LC_REDIS_PORT}/0`;

  script(command: 'up' | 'down'): Promise<string> {
    return this.exec('bash', [resolve('scripts/local-cluster.sh'), command]);
  }

  kubectl(args: string[], input?: string): Promise<string> {
    return this.exec(resolve('.tools/bin/kubectl'), args, input);
  }

  helm(args: string[]): Promise<string> {
    return this.exec(resolve('.tools/bin/helm'), args);
  }

  async json<T>(args: string[]): Promise<T> {
    return JSON.parse(await this.kubectl([...args, '-o', 'json'])) as T;
  }

  /** The first build's duration, as build-control-plane.sh recorded it in the cache ("built in N s"). */
  firstBuildSeconds(): number | undefined {
    const root =
      process.env.FOCAL_CONTROL_PLANE_CACHE ??
      join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'focal/control-plane');
    const candidates = existsSync(join(root, 'bin/.complete'))
      ? [join(root, 'bin/.complete')]
      : (existsSync(root) ? readdirSync(root) : []).map((d) => join(root, d, 'bin/.complete'));
    for (const file of candidates) {
      const match = existsSync(file) ? /built in (\d+) s/.exec(readFileSync(file, 'utf8')) : null;
      if (match) return Number(match[1]);
    }
    return undefined;
  }

  private exec(command: string, args: string[], input?: string): Promise<string> {
    return new Promise((done, reject) => {
      const child = execFile(
        command,
        args,
        { env: this.env, maxBuffer: 64 << 20, timeout: 1_800_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`)) : done(stdout),
      );
      if (input !== undefined) child.stdin?.end(input);
    });
  }
}
