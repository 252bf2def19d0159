import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ApiMetrics } from '../metrics/api.metrics.js';
import { JOB_QUEUE, type JobQueue } from './job.queue.js';

/** Exposes queue depth by status as a gauge read at scrape time. */
@Injectable()
export class QueueMetricsBinder implements OnModuleInit {
  constructor(
    private readonly metrics: ApiMetrics,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  onModuleInit(): void {
    this.metrics.watchQueue(() => this.queue.counts());
  }
}
