import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { isTransientError } from '@focal/contracts';
import { InferenceService } from '../inference/inference.service.js';
import { JOB_QUEUE, type JobQueue } from './job.queue.js';

/**
 * Runs queued jobs through the same InferenceService as synchronous calls. Transient failures
 * (worker down, model unavailable) are retried with backoff; bad input fails the job at once.
 * Jobs are never shed by admission control: they wait for a slot (they already waited in Redis).
 */
@Injectable()
export class InferenceJobProcessor implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly inference: InferenceService,
  ) {}

  onModuleInit(): void {
    this.queue.startWorker((type, body) => this.inference.run(type, body, 'job'), isTransientError);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
