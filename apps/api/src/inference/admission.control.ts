import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { ApiConfig } from '@focal/config';
import type { ModelType } from '@focal/contracts';
import { API_CONFIG } from '../config/api-config.token.js';
import { ApiMetrics } from '../metrics/api.metrics.js';
import { type Admission, AdmissionQueue, AdmissionRejectedError } from './admission.queue.js';

/** Who is asking: a synchronous request may be shed, a job (already waiting in Redis) never is. */
export type AdmissionSource = 'request' | 'job';

/** One AdmissionQueue per model type, with its figures on /metrics. */
@Injectable()
export class AdmissionControl implements OnModuleInit {
  private readonly queues = new Map<ModelType, AdmissionQueue>();

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly metrics: ApiMetrics,
  ) {}

  onModuleInit(): void {
    this.metrics.watchAdmission(() =>
      Object.fromEntries([...this.queues].map(([type, queue]) => [type, queue.depth] as const)),
    );
  }

  /** Refuses a synchronous request at once when its model's queue is full (before its images are decoded). */
  checkRoom(type: ModelType): void {
    try {
      this.queues.get(type)?.checkRoom();
    } catch (error) {
      this.countRejection(type, error);
      throw error;
    }
  }

  /** Waits for a slot on `type`'s workers (`workers` of them ready), or throws a 503 + Retry-After. */
  async admit(type: ModelType, workers: number, source: AdmissionSource): Promise<Admission> {
    const queue = this.queueOf(type);
    queue.setWorkers(workers);
    try {
      const admission = await queue.acquire({ shed: source === 'request' });
      this.metrics.admissionQueueSeconds.observe({ model: type, source }, admission.queuedMs / 1000);
      return admission;
    } catch (error) {
      this.countRejection(type, error);
      throw error;
    }
  }

  private countRejection(type: ModelType, error: unknown): void {
    if (error instanceof AdmissionRejectedError)
      this.metrics.admissionRejections.inc({ model: type, reason: error.reason });
  }

  private queueOf(type: ModelType): AdmissionQueue {
    let queue = this.queues.get(type);
    if (!queue) {
      queue = new AdmissionQueue(this.config.admission);
      this.queues.set(type, queue);
    }
    return queue;
  }
}
