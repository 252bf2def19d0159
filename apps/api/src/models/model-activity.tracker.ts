import { Injectable } from '@nestjs/common';
import { MODEL_TYPES, type ModelType } from '@focal/contracts';
import { ApiMetrics } from '../metrics/api.metrics.js';

interface Activity {
  inFlight: number;
  lastUsedAt: number;
}

/**
 * Requests in flight per model type in this API process (held for a load, or being served), and when each
 * model was last used. The idle unloader and the operator's autoscaler (through `/metrics`) read it.
 */
@Injectable()
export class ModelActivityTracker {
  private readonly activity = new Map<ModelType, Activity>();

  constructor(metrics: ApiMetrics) {
    // Every model type, zeros included: a scraper must see a model's traffic stop, not its series vanish.
    metrics.watchInFlight(() => Object.fromEntries(MODEL_TYPES.map((type) => [type, this.inFlight(type)])));
  }

  begin(type: ModelType): void {
    const entry = this.entry(type);
    entry.inFlight += 1;
    entry.lastUsedAt = Date.now();
  }

  end(type: ModelType): void {
    const entry = this.entry(type);
    entry.inFlight = Math.max(0, entry.inFlight - 1);
    entry.lastUsedAt = Date.now();
  }

  /** A use with no duration (a job's call, a load): it restarts the idle clock. */
  touch(type: ModelType): void {
    this.entry(type).lastUsedAt = Date.now();
  }

  inFlight(type: ModelType): number {
    return this.activity.get(type)?.inFlight ?? 0;
  }

  lastUsedAt(type: ModelType): number | undefined {
    return this.activity.get(type)?.lastUsedAt;
  }

  private entry(type: ModelType): Activity {
    let entry = this.activity.get(type);
    if (!entry) {
      entry = { inFlight: 0, lastUsedAt: Date.now() };
      this.activity.set(type, entry);
    }
    return entry;
  }
}
