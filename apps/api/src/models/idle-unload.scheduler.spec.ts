import { buildApiConfig } from '@focal/config';
import type { ModelType } from '@focal/contracts';
import { MetricsRegistry } from '@focal/platform';
import { ApiMetrics } from '../metrics/api.metrics.js';
import { type ModelRuntime, type RuntimeModelStatus, unloadedStatus } from '../runtime/model-runtime.port.js';
import { IdleUnloadScheduler } from './idle-unload.scheduler.js';
import { ModelActivityTracker } from './model-activity.tracker.js';
import type { ModelManagerService } from './model-manager.service.js';

/** Every model ready since t=0 and never used; unload() makes it unloaded. */
function setup(env: Record<string, string>) {
  const config = buildApiConfig({ FOCAL_IDLE_UNLOAD_SECONDS: '10', ...env });
  const ready = new Set<ModelType>(['sam3', 'dinov3']);
  const runtime = {
    kind: 'local',
    status: async (type: ModelType): Promise<RuntimeModelStatus> => ({
      ...unloadedStatus(type),
      state: ready.has(type) ? 'ready' : 'unloaded',
    }),
  } as unknown as ModelRuntime;
  const unloaded: ModelType[] = [];
  const models = {
    readyAt: (type: ModelType) => (ready.has(type) ? 0 : undefined),
    isLoading: () => false,
    unload: async (type: ModelType) => {
      ready.delete(type);
      unloaded.push(type);
      return true;
    },
  } as unknown as ModelManagerService;
  const metrics = new ApiMetrics(new MetricsRegistry('api'));
  const activity = new ModelActivityTracker(metrics);
  const scheduler = new IdleUnloadScheduler(config, runtime, models, activity, metrics);
  return { scheduler, activity, unloaded };
}

describe('IdleUnloadScheduler.check', () => {
  it('unloads every idle ready model once the idle period and the protection window are over', async () => {
    const { scheduler, unloaded } = setup({ FOCAL_EVICTION_PROTECTION_SECONDS: '30' });
    expect(await scheduler.check(29_999)).toEqual([]);
    expect(await scheduler.check(30_000)).toEqual(['sam3', 'dinov3']);
    expect(unloaded).toEqual(['sam3', 'dinov3']);
    expect(await scheduler.check(60_000)).toEqual([]);
  });

  it('keeps a model with a request in flight however long it runs', async () => {
    const { scheduler, activity } = setup({ FOCAL_EVICTION_PROTECTION_SECONDS: '0' });
    activity.begin('sam3');
    expect(await scheduler.check(Date.now() + 3_600_000)).toEqual(['dinov3']);
    activity.end('sam3');
    expect(await scheduler.check(Date.now() + 10_000)).toEqual(['sam3']);
  });

  it('keeps preloaded models when FOCAL_PIN_PRELOADED is on (the default), not when it is off', async () => {
    const pinned = setup({ FOCAL_PRELOAD: 'dinov3', FOCAL_EVICTION_PROTECTION_SECONDS: '0' });
    expect(await pinned.scheduler.check(1e12)).toEqual(['sam3']);
    const unpinned = setup({
      FOCAL_PRELOAD: 'dinov3',
      FOCAL_PIN_PRELOADED: 'false',
      FOCAL_EVICTION_PROTECTION_SECONDS: '0',
    });
    expect(await unpinned.scheduler.check(1e12)).toEqual(['sam3', 'dinov3']);
  });
});
