import { homedir } from 'node:os';
import { join } from 'node:path';
import { buildApiConfig } from './api.config.js';
import { ConfigValidationError } from './env.reader.js';

/** The problems buildApiConfig reports for `env`, or fails the test when it accepts it. */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    buildApiConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected buildApiConfig to reject the environment');
}

const MiB = 1024 * 1024;

describe('buildApiConfig defaults', () => {
  const config = buildApiConfig({});

  it('runs locally on 0.0.0.0:8000 with auto-load on, CPU and demo models', () => {
    expect(config.runtime).toBe('local');
    expect(config.host).toBe('0.0.0.0');
    expect(config.port).toBe(8000);
    expect(config.autoLoad).toBe(true);
    expect(config.preload).toEqual([]);
    expect(config.defaultDevice).toBe('cpu');
    expect(config.defaultModels).toEqual({
      sam3: 'demo',
      grounding_dino: 'demo',
      depth_anything: 'demo',
      dinov3: 'demo',
    });
    expect(config.corsOrigins).toEqual(['*']);
    expect(config.apiKeys).toEqual([]);
  });

  it('uses the huggingface_hub cache location and endpoint', () => {
    expect(config.hub).toEqual({
      rootFolder: join(homedir(), '.cache', 'huggingface'),
      token: undefined,
      endpoint: 'https://huggingface.co',
      offline: false,
    });
  });

  it('has the documented request limits (16 images of 20 MiB, private URLs refused)', () => {
    expect(config.limits).toEqual({
      maxImages: 16,
      maxImageBytes: 20 * MiB,
      maxImagePixels: 40_000_000,
      maxPrompts: 32,
      maxPromptLength: 256,
      urlTimeoutMs: 10_000,
      allowPrivateUrls: false,
      maxJsonDepth: 32,
      maxJsonArrayLength: 1024,
    });
  });

  it('runs jobs on local Redis with concurrency 2 and one day of retention', () => {
    expect(config.jobs.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.jobs.concurrency).toBe(2);
    expect(config.jobs.retentionSeconds).toBe(24 * 60 * 60);
    expect(config.jobs.redisTimeoutMs).toBe(5_000);
    expect(buildApiConfig({ FOCAL_REDIS_TIMEOUT_MS: '250' }).jobs.redisTimeoutMs).toBe(250);
  });

  it('admits one micro-batch in flight per worker, two more waiting, for at most 10 s', () => {
    expect(config.admission).toEqual({ maxInflight: 8, maxQueue: 16, queueTimeoutMs: 10_000, refusalHoldMaxMs: 1_000 });
    expect(buildApiConfig({ FOCAL_MAX_BATCH_SIZE: '2' }).admission).toMatchObject({ maxInflight: 2, maxQueue: 4 });
    const set = buildApiConfig({ FOCAL_MAX_INFLIGHT: '3', FOCAL_MAX_QUEUE: '0', FOCAL_QUEUE_TIMEOUT_MS: '50' });
    expect(set.admission).toEqual({ maxInflight: 3, maxQueue: 0, queueTimeoutMs: 50, refusalHoldMaxMs: 1_000 });
    expect(buildApiConfig({ FOCAL_REFUSAL_HOLD_MAX_MS: '0' }).admission.refusalHoldMaxMs).toBe(0);
    expect(problemsOf({ FOCAL_MAX_INFLIGHT: '0' }).join(' ')).toMatch(/FOCAL_MAX_INFLIGHT/);
  });

  it('passes defined variables through to local workers and drops undefined ones', () => {
    expect(buildApiConfig({ PATH: '/bin', GONE: undefined }).processEnv).toEqual({ PATH: '/bin' });
  });
});

describe('buildApiConfig reading values', () => {
  it('reads the port from FOCAL_PORT, else PORT', () => {
    expect(buildApiConfig({ PORT: '9000' }).port).toBe(9000);
    expect(buildApiConfig({ PORT: '9000', FOCAL_PORT: '7000' }).port).toBe(7000);
  });

  it('prefers FOCAL_REDIS_URL over REDIS_URL', () => {
    expect(buildApiConfig({ REDIS_URL: 'redis://a:1' }).jobs.redisUrl).toBe('redis://a:1');
    expect(buildApiConfig({ REDIS_URL: 'redis://a:1', FOCAL_REDIS_URL: 'rediss://b:2' }).jobs.redisUrl).toBe(
      'rediss://b:2',
    );
  });

  it('takes per-type default models from FOCAL_MODEL_<TYPE>', () => {
    const config = buildApiConfig({ FOCAL_MODEL_DEPTH_ANYTHING: 'onnx-community/depth-anything-v2-small' });
    expect(config.defaultModels.depth_anything).toBe('onnx-community/depth-anything-v2-small');
    expect(config.defaultModels.sam3).toBe('demo');
  });

  it('reads limits and the private-URL switch', () => {
    const config = buildApiConfig({
      FOCAL_MAX_IMAGES: '2',
      FOCAL_MAX_IMAGE_BYTES: '2048',
      FOCAL_MAX_IMAGE_PIXELS: '100',
      FOCAL_URL_TIMEOUT_MS: '250',
      FOCAL_ALLOW_PRIVATE_URLS: 'true',
    });
    expect(config.limits).toMatchObject({
      maxImages: 2,
      maxImageBytes: 2048,
      maxImagePixels: 100,
      urlTimeoutMs: 250,
      allowPrivateUrls: true,
    });
  });

  it('splits CORS origins', () => {
    expect(buildApiConfig({ FOCAL_CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });
});

describe('buildApiConfig FOCAL_API_KEYS', () => {
  it('parses role:key pairs; keys may contain colons', () => {
    expect(buildApiConfig({ FOCAL_API_KEYS: 'admin:supersecret, inference:abc:defgh' }).apiKeys).toEqual([
      { role: 'admin', key: 'supersecret' },
      { role: 'inference', key: 'abc:defgh' },
    ]);
  });

  it('accepts a key of exactly 8 characters', () => {
    expect(buildApiConfig({ FOCAL_API_KEYS: 'admin:12345678' }).apiKeys).toEqual([{ role: 'admin', key: '12345678' }]);
  });

  it.each([
    ['an unknown role', 'root:supersecret'],
    ['a key shorter than 8 characters', 'admin:1234567'],
    ['no role separator', 'supersecretkey'],
    ['an empty role', ':supersecret'],
  ])('rejects %s', (_label, entry) => {
    expect(problemsOf({ FOCAL_API_KEYS: entry })).toEqual([
      'FOCAL_API_KEYS entries must look like "admin:<key>" or "inference:<key>" with keys of 8+ chars',
    ]);
  });

  it('reports each bad entry', () => {
    expect(problemsOf({ FOCAL_API_KEYS: 'admin:short,admin:longenough,guest:longenough' })).toHaveLength(2);
  });
});

describe('buildApiConfig FOCAL_PRELOAD', () => {
  it('accepts canonical and hyphenated spellings, case-insensitively', () => {
    expect(buildApiConfig({ FOCAL_PRELOAD: 'sam3, Grounding-DINO,depth-anything,dinov3' }).preload).toEqual([
      'sam3',
      'grounding_dino',
      'depth_anything',
      'dinov3',
    ]);
  });

  it('names an unknown type and lists the valid ones', () => {
    expect(problemsOf({ FOCAL_PRELOAD: 'sam3,yolo' })).toEqual([
      'FOCAL_PRELOAD has unknown model type "yolo"; use sam3, grounding_dino, depth_anything, dinov3',
    ]);
  });
});

describe('buildApiConfig FOCAL_REDIS_URL', () => {
  it('requires the redis: or rediss: protocol', () => {
    expect(problemsOf({ FOCAL_REDIS_URL: 'http://cache:6379' })).toEqual([
      'FOCAL_REDIS_URL must use redis: or rediss:, got "http:"',
    ]);
  });

  it('requires a URL: a bare host:port is not one', () => {
    expect(problemsOf({ FOCAL_REDIS_URL: '127.0.0.1:6379' })).toEqual([
      'FOCAL_REDIS_URL must be a URL, got "127.0.0.1:6379"',
    ]);
  });

  it('checks the REDIS_URL fallback as well', () => {
    expect(problemsOf({ REDIS_URL: 'http://cache:6379' })).toEqual([
      expect.stringContaining('must use redis: or rediss:, got "http:"'),
    ]);
  });

  it('reads "name:port" as a URL scheme and refuses that scheme', () => {
    expect(problemsOf({ FOCAL_REDIS_URL: 'cache:6379' })).toEqual([
      'FOCAL_REDIS_URL must use redis: or rediss:, got "cache:"',
    ]);
  });
});

describe('buildApiConfig limits and ranges', () => {
  it.each([
    ['FOCAL_MAX_IMAGES', '0', 'FOCAL_MAX_IMAGES must be >= 1'],
    ['FOCAL_MAX_IMAGES', '1025', 'FOCAL_MAX_IMAGES must be <= 1024'],
    ['FOCAL_MAX_IMAGE_BYTES', '1023', 'FOCAL_MAX_IMAGE_BYTES must be >= 1024'],
    ['FOCAL_MAX_IMAGE_PIXELS', '0', 'FOCAL_MAX_IMAGE_PIXELS must be >= 1'],
    ['FOCAL_URL_TIMEOUT_MS', '99', 'FOCAL_URL_TIMEOUT_MS must be >= 100'],
    ['FOCAL_JOB_CONCURRENCY', '0', 'FOCAL_JOB_CONCURRENCY must be >= 1'],
    ['FOCAL_MAX_BATCH_SIZE', '65', 'FOCAL_MAX_BATCH_SIZE must be <= 64'],
    ['FOCAL_PORT', '65536', 'FOCAL_PORT must be <= 65535'],
    ['FOCAL_MAX_PROMPTS', 'many', 'FOCAL_MAX_PROMPTS must be an integer, got "many"'],
    ['FOCAL_MAX_JSON_DEPTH', '3', 'FOCAL_MAX_JSON_DEPTH must be >= 4'],
    ['FOCAL_MAX_JSON_DEPTH', '1001', 'FOCAL_MAX_JSON_DEPTH must be <= 1000'],
    ['FOCAL_MAX_JSON_ARRAY_LENGTH', '15', 'FOCAL_MAX_JSON_ARRAY_LENGTH must be >= 16'],
    [
      'FOCAL_MAX_JSON_ARRAY_LENGTH',
      '31',
      'FOCAL_MAX_JSON_ARRAY_LENGTH (31) must be >= FOCAL_MAX_IMAGES and FOCAL_MAX_PROMPTS (32)',
    ],
    ['FOCAL_ALLOW_PRIVATE_URLS', 'sometimes', 'FOCAL_ALLOW_PRIVATE_URLS must be true or false, got "sometimes"'],
    ['FOCAL_RUNTIME', 'docker', 'FOCAL_RUNTIME must be one of local, kubernetes, got "docker"'],
    ['FOCAL_DEVICE', 'tpu', 'FOCAL_DEVICE must be one of cuda, cpu, got "tpu"'],
  ])('%s=%s is refused: %s', (name, value, message) => {
    expect(problemsOf({ [name]: value })).toEqual([message]);
  });

  it('accepts the boundary values', () => {
    const config = buildApiConfig({ FOCAL_MAX_IMAGES: '1024', FOCAL_MAX_IMAGE_BYTES: '1024', FOCAL_PORT: '0' });
    expect(config.limits.maxImages).toBe(1024);
    expect(config.limits.maxImageBytes).toBe(1024);
    expect(config.port).toBe(0);
  });
});

describe('buildApiConfig error collection', () => {
  it('reports every misconfigured variable in one ConfigValidationError', () => {
    const problems = problemsOf({
      FOCAL_RUNTIME: 'docker',
      FOCAL_PORT: 'eighty',
      FOCAL_PRELOAD: 'yolo',
      FOCAL_API_KEYS: 'admin:x',
      FOCAL_REDIS_URL: 'http://cache',
      FOCAL_MAX_IMAGES: '0',
      HF_ENDPOINT: 'ftp://hub',
    });
    expect(problems).toHaveLength(7);
    expect(problems).toEqual(
      expect.arrayContaining([
        'FOCAL_RUNTIME must be one of local, kubernetes, got "docker"',
        'FOCAL_PORT must be an integer, got "eighty"',
        expect.stringContaining('"yolo"'),
        expect.stringContaining('FOCAL_API_KEYS'),
        'FOCAL_REDIS_URL must use redis: or rediss:, got "http:"',
        'FOCAL_MAX_IMAGES must be >= 1',
        'HF_ENDPOINT must use http: or https:, got "ftp:"',
      ]),
    );
  });

  it('lists the problems in its message', () => {
    expect(() => buildApiConfig({ FOCAL_RUNTIME: 'docker', FOCAL_DEVICE: 'tpu' })).toThrow(
      /^Invalid configuration:\n {2}- FOCAL_RUNTIME .*\n {2}- FOCAL_DEVICE /,
    );
  });
});
