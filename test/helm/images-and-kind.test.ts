/**
 * Static checks of docker/*.Dockerfile, .dockerignore and deploy/kind (no Docker engine or cluster is
 * available here), plus a dry run of deploy/kind/e2e.sh against fake kind/kubectl/curl binaries that
 * exercises its control flow: success, and the diagnostics dump on failure.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { API_NODE_FLAGS } from '@focal/testing';
import {
  ajvErrors,
  chartCrdPath,
  compileCrdValidator,
  type CrdDocument,
  loadYaml,
  repoRoot,
  valuesFiles,
} from './helm-render.js';

const read = (relative: string): string => readFileSync(path.join(repoRoot, relative), 'utf8');

interface ImageSpec {
  app: 'api' | 'operator' | 'inference';
  file: string;
  port: number;
  portEnv: string;
  cuda: boolean;
  /** API and operator must not ship the inference-only native packages. */
  slim: boolean;
}

const IMAGES: ImageSpec[] = [
  { app: 'api', file: 'docker/api.Dockerfile', port: 8000, portEnv: 'FOCAL_PORT', cuda: false, slim: true },
  {
    app: 'operator',
    file: 'docker/operator.Dockerfile',
    port: 8081,
    portEnv: 'FOCAL_OPERATOR_METRICS_PORT',
    cuda: false,
    slim: true,
  },
  {
    app: 'inference',
    file: 'docker/inference.Dockerfile',
    port: 8080,
    portEnv: 'FOCAL_INFERENCE_PORT',
    cuda: false,
    slim: false,
  },
  {
    app: 'inference',
    file: 'docker/inference-cuda.Dockerfile',
    port: 8080,
    portEnv: 'FOCAL_INFERENCE_PORT',
    cuda: true,
    slim: false,
  },
];

/** Joins continuation lines and drops comments, so each entry is one Dockerfile instruction. */
function instructions(dockerfile: string): string[] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

/** The instructions of the last stage (the image that ships). */
function finalStage(dockerfile: string): string[] {
  const all = instructions(dockerfile);
  const lastFrom = all
    .map((line, i) => (line.startsWith('FROM ') ? i : -1))
    .filter((i) => i >= 0)
    .pop()!;
  return all.slice(lastFrom);
}

/** The shared build + prod-deps stages: from "FROM ${NODE_IMAGE} AS build" through the prune. */
function buildStages(dockerfile: string): string {
  const start = dockerfile.indexOf('FROM ${NODE_IMAGE} AS build');
  const prune = 'RUN npm prune --omit=dev --no-audit --no-fund\n';
  const end = dockerfile.indexOf(prune);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return dockerfile.slice(start, end + prune.length);
}

describe('Dockerfiles', () => {
  const nestCli = JSON.parse(read('nest-cli.json')) as {
    projects: Record<string, { sourceRoot: string; entryFile: string }>;
  };

  it.each(IMAGES)('$file: multi-stage, non-root, production, port $port, runs the built entry point', (image) => {
    const text = read(image.file);
    const all = instructions(text);
    expect(all.filter((line) => line.startsWith('FROM ')).length).toBeGreaterThanOrEqual(3);
    const final = finalStage(text);
    expect(final).toContain('USER 1000:1000');
    expect(final.some((line) => line.startsWith('ENV ') && /\bNODE_ENV=production\b/.test(line))).toBe(true);
    expect(
      final.some((line) => line.startsWith('ENV ') && new RegExp(`\\b${image.portEnv}=${image.port}\\b`).test(line)),
    ).toBe(true);
    expect(final).toContain(`EXPOSE ${image.port}`);
    // The entry point is where tsc (rootDir ".", outDir "dist") puts nest-cli.json's entryFile.
    const project = nestCli.projects[image.app];
    const entry = `dist/${project.sourceRoot}/${project.entryFile}.js`;
    expect(entry).toBe(`dist/apps/${image.app}/src/main.js`);
    // The API's Node flags (API_NODE_FLAGS) sit between node and the entry; the other images keep V8's defaults.
    const cmd = final.filter((line) => line.startsWith('CMD '));
    expect(cmd).toHaveLength(1);
    expect(JSON.parse(cmd[0].slice('CMD '.length))).toEqual([
      'node',
      ...(image.app === 'api' ? API_NODE_FLAGS : []),
      entry,
    ]);
    expect(final).toContain(`COPY --from=build /src/dist/apps/${image.app} ./dist/apps/${image.app}`);
    // The build really compiles with the repository's build script.
    expect(all).toContain('RUN npm run build');
    expect(all.some((line) => /npm prune --omit=dev/.test(line))).toBe(true);
  });

  it('shares one byte-identical build stage, so BuildKit builds the monorepo once for all images', () => {
    const stages = IMAGES.map((image) => buildStages(read(image.file)));
    for (const stage of stages.slice(1)) expect(stage).toBe(stages[0]);
    expect(stages[0]).toMatch(/ENV ONNXRUNTIME_NODE_INSTALL=skip/);
  });

  it.each(IMAGES.filter((i) => i.slim))('$file drops onnxruntime-node and sharp', (image) => {
    const all = instructions(read(image.file));
    expect(
      all.some((line) => /rm -rf .*node_modules\/onnxruntime-node/.test(line) && /node_modules\/sharp/.test(line)),
    ).toBe(true);
    expect(finalStage(read(image.file)).some((line) => line.startsWith('COPY --from=slim /src/node_modules'))).toBe(
      true,
    );
  });

  it('builds the CUDA image on CUDA 12 + cuDNN runtime and installs the cuda12 provider libraries', () => {
    const text = read('docker/inference-cuda.Dockerfile');
    expect(text).toMatch(/^ARG CUDA_IMAGE=nvidia\/cuda:12\.\d+\.\d+-cudnn-runtime-ubuntu22\.04$/m);
    expect(finalStage(text)[0]).toBe('FROM ${CUDA_IMAGE} AS runtime');
    const all = instructions(text);
    const install = all.find((line) => line.includes('script/install.js'));
    expect(install).toMatch(/ONNXRUNTIME_NODE_INSTALL=cuda12 node script\/install\.js/);
    expect(install).toMatch(/libonnxruntime_providers_\$\{lib\}\.so/);
    expect(finalStage(text)).toContain('COPY --from=node /usr/local/bin/node /usr/local/bin/node');
    // The CPU image never downloads CUDA libraries.
    expect(read('docker/inference.Dockerfile')).not.toMatch(/cuda12/);
  });

  it('.dockerignore keeps what the builds copy and drops local state and secrets', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const needed of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'nest-cli.json',
      'apps',
      'libs',
    ]) {
      expect(ignored).not.toContain(needed);
      expect(existsSync(path.join(repoRoot, needed))).toBe(true);
    }
    for (const dropped of ['**/node_modules', 'dist', '.git', '.env', '.tools']) expect(ignored).toContain(dropped);
    // Everything the Dockerfiles COPY from the context is one of the kept paths.
    const copied = IMAGES.flatMap((image) =>
      instructions(read(image.file))
        .filter((line) => line.startsWith('COPY ') && !line.startsWith('COPY --from'))
        .flatMap((line) => line.split(/\s+/).slice(1, -1)),
    );
    expect(new Set(copied)).toEqual(
      new Set([
        'package.json',
        'package-lock.json',
        'tsconfig.json',
        'tsconfig.build.json',
        'nest-cli.json',
        'libs',
        'apps',
      ]),
    );
  });
});

describe('deploy/kind', () => {
  const scripts = [
    'deploy/kind/up.sh',
    'deploy/kind/e2e.sh',
    'deploy/kind/down.sh',
    'scripts/install-helm.sh',
    'scripts/sync-crds.sh',
  ];

  it.each(scripts)('%s is strict bash that parses', (script) => {
    const text = read(script);
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text).toMatch(/^set -euo pipefail$/m);
    const result = spawnSync('bash', ['-n', path.join(repoRoot, script)], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('cluster.yaml: one control-plane labelled ingress-ready with ports 80 and 443 mapped', () => {
    const cluster = loadYaml(path.join(repoRoot, 'deploy/kind/cluster.yaml')) as {
      kind: string;
      apiVersion: string;
      nodes: {
        role: string;
        kubeadmConfigPatches: string[];
        extraPortMappings: { containerPort: number; hostPort: number }[];
      }[];
    };
    expect([cluster.kind, cluster.apiVersion]).toEqual(['Cluster', 'kind.x-k8s.io/v1alpha4']);
    expect(cluster.nodes.map((n) => n.role)).toEqual(['control-plane']);
    expect(cluster.nodes[0].kubeadmConfigPatches.join('\n')).toMatch(/node-labels: "ingress-ready=true"/);
    expect(cluster.nodes[0].extraPortMappings.map((m) => [m.containerPort, m.hostPort])).toEqual([
      [80, 80],
      [443, 443],
    ]);
  });

  it('up.sh builds, loads and installs the images that values-kind.yaml names', () => {
    const up = read('deploy/kind/up.sh');
    const values = loadYaml(valuesFiles.kind) as Record<string, { image: { repository: string; tag: string } }>;
    for (const [component, dockerfile] of [
      ['api', 'docker/api.Dockerfile'],
      ['operator', 'docker/operator.Dockerfile'],
      ['inference', 'docker/inference.Dockerfile'],
    ]) {
      const { repository, tag } = values[component].image;
      expect(tag).toBe('dev');
      expect(up).toContain(`"${dockerfile}|${repository}:\${FOCAL_IMAGE_TAG}"`);
    }
    expect(up).not.toContain('inference-cuda.Dockerfile');
    expect(up).toMatch(/kind load docker-image/);
    expect(read('deploy/kind/lib.sh')).toMatch(
      /ingress-nginx\/\$\{INGRESS_NGINX_VERSION\}\/deploy\/static\/provider\/kind\/deploy\.yaml/,
    );
    expect(up).toContain('apply -f "${INGRESS_NGINX_MANIFEST}"');
    expect(up).toMatch(/upgrade --install/);
    expect(up).toMatch(/values-kind\.yaml/);
    for (const tool of ['require_docker', 'require_cmd kind', 'require_cmd kubectl', 'find_helm'])
      expect(up).toContain(tool);
  });

  it('e2e.sh applies the CPU DINOv3 example, which is a ModelDeployment the CRD accepts', () => {
    expect(read('deploy/kind/e2e.sh')).toContain('deploy/examples/dinov3-cpu.yaml');
    const example = loadYaml(path.join(repoRoot, 'deploy/examples/dinov3-cpu.yaml')) as {
      kind: string;
      spec: { device: string; modelType: string };
    };
    expect(example.kind).toBe('ModelDeployment');
    expect(example.spec).toEqual(expect.objectContaining({ modelType: 'dinov3', device: 'cpu' }));
    const validate = compileCrdValidator(loadYaml(chartCrdPath) as CrdDocument);
    if (!validate(example)) throw new Error(ajvErrors(validate));
  });
});

// ---- e2e.sh against fakes ------------------------------------------------------------------------------

const FAKE_KIND = `#!/usr/bin/env bash
if [[ "$1 $2" == "get clusters" ]]; then echo focal; exit 0; fi
exit 0
`;

// Logs every call; answers the few verbs e2e.sh uses.
const FAKE_KUBECTL = `#!/usr/bin/env bash
echo "kubectl $*" >> "$FAKE_LOG"
args=" $* "
if [[ "$args" == *" apply "* ]]; then echo "modeldeployment.focal.dev/dinov3"; exit 0; fi
if [[ "$args" == *" wait "* ]]; then exit "\${FAKE_WAIT_STATUS:-0}"; fi
if [[ "$args" == *" get pods -o name "* ]]; then echo "pod/focal-api-123"; exit 0; fi
echo "fake output for: $*"
`;

// Writes FAKE_RESPONSE to the -o file and prints FAKE_HTTP_CODE, like curl -o FILE -w '%{http_code}'.
const FAKE_CURL = `#!/usr/bin/env bash
echo "curl $*" >> "$FAKE_LOG"
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -o) out="$2"; shift 2 ;;
    *) shift ;;
  esac
done
[[ -n "$out" ]] && printf '%s' "$FAKE_RESPONSE" > "$out"
printf '%s' "\${FAKE_HTTP_CODE:-200}"
`;

interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Every fake tool call, one line each ("kubectl --context ..."). */
  log: string;
}

/** Runs a deploy/kind script with fake tools first on PATH; `fakes` maps tool names to bash bodies. */
function runWithFakes(script: string, fakes: Record<string, string>, env: Record<string, string>): ScriptRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'focal-kind-fakes-'));
  try {
    for (const [name, body] of Object.entries(fakes)) {
      writeFileSync(path.join(dir, name), body);
      chmodSync(path.join(dir, name), 0o755);
    }
    const log = path.join(dir, 'calls.log');
    writeFileSync(log, '');
    const result = spawnSync('bash', [path.join(repoRoot, script)], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: `${dir}:${process.env.PATH ?? ''}`, HOME: dir, TMPDIR: dir, FAKE_LOG: log, FAKE_DIR: dir, ...env },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, log: readFileSync(log, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runE2e(env: Record<string, string>): ScriptRun {
  return runWithFakes('deploy/kind/e2e.sh', { kind: FAKE_KIND, kubectl: FAKE_KUBECTL, curl: FAKE_CURL }, env);
}

const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('deploy/kind/e2e.sh (fake kind, kubectl and curl)', () => {
  it('passes when the model becomes Ready and /inference/dinov3 returns pooler_output', () => {
    expect(hasPython).toBe(true);
    const response = JSON.stringify({
      features: { pooler_output: [[0.1, 0.2, 0.3]], last_hidden_state: [[[1, 2, 3]]] },
    });
    const run = runE2e({ FAKE_RESPONSE: response, FOCAL_API_KEY: 'secret-key-1' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 0,
      stderr: expect.stringContaining('end-to-end check passed'),
    });
    expect(run.stdout).toContain('pooler_output shape [1, 3]; last_hidden_state shape [1, 1, 3]');
    expect(run.log).toMatch(
      /kubectl --context kind-focal -n focal apply -f \S+deploy\/examples\/dinov3-cpu\.yaml -o name/,
    );
    expect(run.log).toContain('wait --for=jsonpath={.status.phase}=Ready md/dinov3 --timeout=15m');
    expect(run.log).toMatch(/curl .*-H X-API-Key: secret-key-1 .*http:\/\/localhost:80\/inference\/dinov3/);
    expect(run.log).not.toContain('get events');
  });

  it('fails and dumps pods, logs, events and the ModelDeployment when pooler_output is missing', () => {
    const run = runE2e({ FAKE_RESPONSE: JSON.stringify({ features: { last_hidden_state: [[[1]]] } }) });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('features.pooler_output is not a [1, D] list of numbers');
    for (const section of [
      '===== pods =====',
      '===== modeldeployment/dinov3 (yaml) =====',
      '===== logs pod/focal-api-123',
      '===== events (focal) =====',
    ]) {
      expect(run.stderr).toContain(section);
    }
    expect(run.log).toContain('get events --sort-by=.lastTimestamp');
  });

  it('fails with the HTTP status and diagnostics when the API answers an error', () => {
    const run = runE2e({
      FAKE_RESPONSE: JSON.stringify({ detail: 'model dinov3 failed to load' }),
      FAKE_HTTP_CODE: '404',
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('POST /inference/dinov3 returned HTTP 404');
    expect(run.stderr).toContain('model dinov3 failed to load');
    expect(run.stderr).toContain('===== pods =====');
    // A 404 is not retried; only 502/503/504 and connection errors are.
    expect(run.log.match(/^curl /gm)).toHaveLength(1);
  });

  it('fails with diagnostics when the ModelDeployment never becomes Ready', () => {
    const run = runE2e({ FAKE_RESPONSE: '{}', FAKE_WAIT_STATUS: '1' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('===== describe modeldeployment/dinov3 =====');
    expect(run.log).not.toMatch(/^curl /m);
  });
});

// ---- up.sh against fakes -------------------------------------------------------------------------------

const logCall = (tool: string): string => `#!/usr/bin/env bash\necho "${tool} $*" >> "$FAKE_LOG"\n`;
const UP_FAKES = {
  docker:
    logCall('docker') +
    'if [[ "$1" == "info" ]]; then exit "${FAKE_DOCKER_INFO_STATUS:-0}"; fi\n[[ "$1" == "--version" ]] && echo "Docker version 27.0.0"\nexit 0\n',
  // The cluster exists once "kind create cluster" ran.
  kind:
    logCall('kind') +
    'if [[ "$1 $2" == "get clusters" ]]; then [[ -f "$FAKE_DIR/created" ]] && echo focal; exit 0; fi\n' +
    'if [[ "$1 $2" == "create cluster" ]]; then cp "$6" "$FAKE_DIR/cluster-config.yaml"; touch "$FAKE_DIR/created"; fi\n' +
    '[[ "$1" == "version" ]] && echo "kind v0.29.0"\nexit 0\n',
  kubectl: logCall('kubectl') + 'exit 0\n',
  helm: logCall('helm') + '[[ "$1" == "version" ]] && echo "v4.1.4+g05fa379"\nexit 0\n',
  curl: logCall('curl') + 'echo \'{"status":"healthy"}\'\n',
};

describe('deploy/kind/up.sh (fake docker, kind, kubectl, helm and curl)', () => {
  it('creates the cluster, builds and loads the three CPU images, installs ingress-nginx and the chart', () => {
    const run = runWithFakes('deploy/kind/up.sh', UP_FAKES, {});
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 0,
      stderr: expect.stringContaining('Focal is up'),
    });
    const calls = run.log.trim().split('\n');
    const index = (pattern: RegExp): number => {
      const i = calls.findIndex((c) => pattern.test(c));
      expect({ pattern: String(pattern), found: i >= 0 }).toEqual({ pattern: String(pattern), found: true });
      return i;
    };
    const create = index(/^kind create cluster --name focal --config \S+\/deploy\/kind\/cluster\.yaml --wait 120s$/);
    const builds = ['api', 'operator', 'inference'].map((app) =>
      index(new RegExp(`^docker build -f \\S+/docker/${app}\\.Dockerfile -t focal/${app}:dev \\S+$`)),
    );
    const loads = ['api', 'operator', 'inference'].map((app) =>
      index(new RegExp(`^kind load docker-image focal/${app}:dev --name focal$`)),
    );
    const ingress = index(
      /^kubectl --context kind-focal apply -f https:\/\/raw\.githubusercontent\.com\/kubernetes\/ingress-nginx\/controller-v[\d.]+\/deploy\/static\/provider\/kind\/deploy\.yaml$/,
    );
    const install = index(
      /^helm upgrade --install focal \S+\/charts\/focal --kube-context kind-focal --namespace focal --create-namespace -f \S+\/deploy\/kind\/values-kind\.yaml .*--wait --timeout 10m --force-conflicts$/,
    );
    const health = index(/^curl .*http:\/\/localhost:80\/health$/);
    expect(create).toBeLessThan(Math.min(...builds));
    builds.forEach((b, i) => expect(b).toBeLessThan(loads[i]));
    expect(Math.max(...loads)).toBeLessThan(ingress);
    expect(ingress).toBeLessThan(install);
    expect(install).toBeLessThan(health);
    expect(run.log).not.toContain('inference-cuda');
  });

  it('maps other host ports into a generated cluster config', () => {
    const fakes = {
      ...UP_FAKES,
      kind: UP_FAKES.kind.replace('touch "$FAKE_DIR/created"', 'touch "$FAKE_DIR/created"; cat "$6" >> "$FAKE_LOG"'),
    };
    const run = runWithFakes('deploy/kind/up.sh', fakes, { FOCAL_HTTP_PORT: '8080', FOCAL_HTTPS_PORT: '8443' });
    expect(run.status).toBe(0);
    expect(run.log).toMatch(/hostPort: 8080\n/);
    expect(run.log).toMatch(/hostPort: 8443\n/);
    expect(run.log).not.toMatch(/hostPort: 80\n/);
    expect(run.log).toMatch(/^curl .*http:\/\/localhost:8080\/health$/m);
  });

  it('stops with a clear message when the Docker daemon is unreachable', () => {
    const run = runWithFakes('deploy/kind/up.sh', UP_FAKES, { FAKE_DOCKER_INFO_STATUS: '1' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('Docker is installed but its daemon is not reachable');
    expect(run.log).not.toMatch(/^kind create/m);
  });
});
