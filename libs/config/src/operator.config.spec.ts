import { ConfigValidationError } from './env.reader.js';
import { buildOperatorConfig } from './operator.config.js';

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    buildOperatorConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected buildOperatorConfig to reject the environment');
}

/** The environment the Helm chart's operator Deployment sets with default values. */
const CHART_ENV = {
  FOCAL_LOG_LEVEL: 'log',
  FOCAL_LOG_FORMAT: 'json',
  FOCAL_OPERATOR_NAMESPACE: 'focal',
  FOCAL_OPERATOR_WATCH_ALL_NAMESPACES: 'false',
  FOCAL_POD_NAME: 'focal-operator-7d9f-abcde',
  FOCAL_LEADER_ELECTION: 'true',
  FOCAL_LEADER_ELECTION_LEASE_NAME: 'focal-operator',
  FOCAL_OPERATOR_METRICS_PORT: '8081',
  FOCAL_INFERENCE_IMAGE: 'focal/inference:0.1.0',
  FOCAL_INFERENCE_CUDA_IMAGE: 'focal/inference-cuda:0.1.0',
  FOCAL_INFERENCE_IMAGE_PULL_POLICY: 'IfNotPresent',
  FOCAL_INFERENCE_CUDA_IMAGE_PULL_POLICY: 'Always',
  FOCAL_IMAGE_PULL_SECRETS: '',
  FOCAL_GPU_NODE_SELECTOR: '{"nvidia.com/gpu.present":"true"}',
  FOCAL_GPU_TOLERATIONS: '[{"effect":"NoSchedule","key":"nvidia.com/gpu","operator":"Exists"}]',
  FOCAL_GPU_RUNTIME_CLASS: 'nvidia',
  FOCAL_GPU_RESOURCE_NAME: 'nvidia.com/gpu',
  FOCAL_HF_TOKEN_SECRET: '',
  FOCAL_HF_TOKEN_SECRET_KEY: 'hf-token',
  FOCAL_HF_ENDPOINT: '',
  FOCAL_AUTOSCALER_INTERVAL_MS: '2000',
  FOCAL_AUTOSCALER_WINDOW_SECONDS: '10',
  FOCAL_AUTOSCALER_API_SELECTOR: 'app.kubernetes.io/instance=focal,app.kubernetes.io/component=api',
  FOCAL_AUTOSCALER_API_PORT: '8000',
};

describe('buildOperatorConfig', () => {
  it('reads what the Helm chart sets', () => {
    expect(buildOperatorConfig(CHART_ENV)).toEqual({
      namespace: 'focal',
      watchAllNamespaces: false,
      podName: 'focal-operator-7d9f-abcde',
      leaderElection: {
        enabled: true,
        leaseName: 'focal-operator',
        leaseDurationSeconds: 15,
        renewPeriodMs: 5000,
        renewDeadlineMs: 10_000,
        retryPeriodMs: 2000,
      },
      metrics: { host: '0.0.0.0', port: 8081 },
      workers: 2,
      resyncPeriodMs: 300_000,
      backoff: { baseMs: 500, maxMs: 120_000 },
      shutdownTimeoutMs: 20_000,
      modelPods: {
        image: 'focal/inference:0.1.0',
        imagePullPolicy: 'IfNotPresent',
        cudaImage: 'focal/inference-cuda:0.1.0',
        cudaImagePullPolicy: 'Always',
        imagePullSecrets: [],
        gpu: {
          nodeSelector: { 'nvidia.com/gpu.present': 'true' },
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          runtimeClassName: 'nvidia',
          resourceName: 'nvidia.com/gpu',
        },
        hfToken: { secretName: undefined, secretKey: 'hf-token' },
        hfEndpoint: undefined,
        progressDeadlineSeconds: 1800,
      },
      autoscaler: {
        intervalMs: 2000,
        windowMs: 10_000,
        apiNamespace: 'focal',
        apiSelector: 'app.kubernetes.io/instance=focal,app.kubernetes.io/component=api',
        apiPort: 8000,
        scrapeTimeoutMs: 2000,
      },
      logging: { level: 'log', json: true },
    });
  });

  it('treats empty chart values as unset: no runtime class, no default token Secret', () => {
    const config = buildOperatorConfig({ ...CHART_ENV, FOCAL_GPU_RUNTIME_CLASS: '', FOCAL_GPU_NODE_SELECTOR: '{}' });
    expect(config.modelPods.gpu.runtimeClassName).toBeUndefined();
    expect(config.modelPods.gpu.nodeSelector).toEqual({});
    expect(config.modelPods.hfToken.secretName).toBeUndefined();
  });

  it('splits pull secrets and names the HF token Secret', () => {
    const config = buildOperatorConfig({
      FOCAL_IMAGE_PULL_SECRETS: 'regcred, ghcr ,',
      FOCAL_HF_TOKEN_SECRET: 'focal-hf-token',
      FOCAL_HF_TOKEN_SECRET_KEY: 'token',
    });
    expect(config.modelPods.imagePullSecrets).toEqual(['regcred', 'ghcr']);
    expect(config.modelPods.hfToken).toEqual({ secretName: 'focal-hf-token', secretKey: 'token' });
  });

  it('gives model pods a hub endpoint only when one is set, and only an http(s) one', () => {
    expect(buildOperatorConfig({ FOCAL_HF_ENDPOINT: 'http://127.0.0.1:8765' }).modelPods.hfEndpoint).toBe(
      'http://127.0.0.1:8765',
    );
    expect(buildOperatorConfig({ FOCAL_HF_ENDPOINT: ' ' }).modelPods.hfEndpoint).toBeUndefined();
    expect(problemsOf({ FOCAL_HF_ENDPOINT: 'ftp://mirror' })).toEqual([
      'FOCAL_HF_ENDPOINT must use http: or https:, got "ftp:"',
    ]);
    expect(problemsOf({ FOCAL_HF_ENDPOINT: 'mirror:8080/hub' })).toEqual([
      'FOCAL_HF_ENDPOINT must use http: or https:, got "mirror:"',
    ]);
  });

  it("reads the model pods' progress deadline in whole seconds, within 1 s to a day", () => {
    expect(buildOperatorConfig({}).modelPods.progressDeadlineSeconds).toBe(1800);
    expect(buildOperatorConfig({ FOCAL_MODEL_PROGRESS_DEADLINE_SECONDS: '90' }).modelPods.progressDeadlineSeconds).toBe(
      90,
    );
    expect(problemsOf({ FOCAL_MODEL_PROGRESS_DEADLINE_SECONDS: '0' })).toHaveLength(1);
    expect(problemsOf({ FOCAL_MODEL_PROGRESS_DEADLINE_SECONDS: 'soon' })).toHaveLength(1);
  });

  it('has defaults for running outside the chart', () => {
    const config = buildOperatorConfig({});
    expect(config).toMatchObject({
      namespace: 'default',
      watchAllNamespaces: false,
      leaderElection: { enabled: true, leaseName: 'focal-operator' },
      modelPods: {
        image: 'focal/inference:latest',
        cudaImage: 'focal/inference-cuda:latest',
        gpu: { nodeSelector: {}, tolerations: [], resourceName: 'nvidia.com/gpu' },
      },
    });
    expect(config.podName.length).toBeGreaterThan(0);
  });

  it('collects every bad value at once', () => {
    expect(
      problemsOf({
        FOCAL_OPERATOR_WATCH_ALL_NAMESPACES: 'maybe',
        FOCAL_OPERATOR_METRICS_PORT: '70000',
        FOCAL_INFERENCE_IMAGE_PULL_POLICY: 'Sometimes',
        FOCAL_GPU_NODE_SELECTOR: '["a"]',
        FOCAL_GPU_TOLERATIONS: '[{"key":"a","operator":"Maybe"}]',
        FOCAL_OPERATOR_WORKERS: '0',
      }),
    ).toEqual([
      'FOCAL_OPERATOR_WATCH_ALL_NAMESPACES must be true or false, got "maybe"',
      'FOCAL_OPERATOR_METRICS_PORT must be <= 65535',
      'FOCAL_OPERATOR_WORKERS must be >= 1',
      'FOCAL_INFERENCE_IMAGE_PULL_POLICY must be one of Always, IfNotPresent, Never, got "Sometimes"',
      'FOCAL_GPU_NODE_SELECTOR must be a JSON object of string values',
      'FOCAL_GPU_TOLERATIONS must be a JSON array of tolerations (key, operator, value, effect, tolerationSeconds)',
    ]);
  });

  it('rejects malformed JSON and leader-election timings that cannot work', () => {
    expect(
      problemsOf({
        FOCAL_GPU_TOLERATIONS: '[{',
        FOCAL_LEADER_ELECTION_LEASE_DURATION_SECONDS: '5',
        FOCAL_LEADER_ELECTION_RENEW_DEADLINE_MS: '6000',
        FOCAL_LEADER_ELECTION_RENEW_PERIOD_MS: '7000',
      }),
    ).toEqual([
      'FOCAL_LEADER_ELECTION_RENEW_DEADLINE_MS must be shorter than the lease duration',
      'FOCAL_LEADER_ELECTION_RENEW_PERIOD_MS must be shorter than FOCAL_LEADER_ELECTION_RENEW_DEADLINE_MS',
      'FOCAL_GPU_TOLERATIONS must be JSON, got "[{"',
    ]);
  });
});
