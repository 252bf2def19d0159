import { Inject, Injectable } from '@nestjs/common';
import type { ApiConfig } from '@focal/config';
import type { Device, ModelType } from '@focal/contracts';
import { API_CONFIG } from '../config/api-config.token.js';

/** Loads remembered per model and device: enough for a stable median, recent enough to follow a change. */
const SAMPLES = 20;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * How long a model is expected to take to load: the median of this process's measured successful loads of that
 * model type on that device (the same durations `focal_model_load_duration_seconds` records), or
 * FOCAL_EXPECTED_LOAD_SECONDS before any was measured. Exact samples, not histogram buckets, so the ETA in
 * `Retry-After` is not rounded up to a bucket bound.
 */
@Injectable()
export class LoadTimeEstimator {
  private readonly samples = new Map<string, number[]>();

  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  record(type: ModelType, device: Device, seconds: number): void {
    const list = this.samples.get(`${type}/${device}`) ?? [];
    list.push(seconds);
    if (list.length > SAMPLES) list.shift();
    this.samples.set(`${type}/${device}`, list);
  }

  expectedSeconds(type: ModelType, device: Device): number {
    const list = this.samples.get(`${type}/${device}`);
    return list?.length ? median(list) : this.config.elastic.expectedLoadSeconds;
  }
}
