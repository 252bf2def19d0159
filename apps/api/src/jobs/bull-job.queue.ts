import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Job, JobStatus as BullStatus, Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import type { ApiConfig } from '@focal/config';
import { type JobStatus, type ModelType, ServiceUnavailableError } from '@focal/contracts';
import { API_CONFIG } from '../config/api-config.token.js';
import type { InferenceBody } from '../inference/inference.service.js';
import type { JobHandler, JobPage, JobQueue, JobRecord } from './job.queue.js';

export const INFERENCE_QUEUE = 'inference';

interface JobData {
  model_type: ModelType;
  body: InferenceBody;
}

const BULL_STATES: Record<Exclude<JobStatus, 'cancelled'>, BullStatus[]> = {
  queued: ['waiting', 'delayed', 'paused'],
  running: ['active'],
  completed: ['completed'],
  failed: ['failed'],
};

function statusOf(state: string): JobStatus {
  const entry = Object.entries(BULL_STATES).find(([, states]) => (states as string[]).includes(state));
  return (entry?.[0] as JobStatus | undefined) ?? 'queued';
}

function recordOf(job: Job<JobData>, status: JobStatus): JobRecord {
  return {
    id: String(job.id),
    modelType: job.data.model_type,
    status,
    result: status === 'completed' ? job.returnvalue : null,
    error: status === 'failed' ? (job.failedReason ?? 'failed') : null,
    // Bull counts failed attempts only; the attempt that completed or is running counts too.
    attempts: job.attemptsMade + (status === 'completed' || status === 'running' ? 1 : 0),
    createdAt: job.timestamp,
    startedAt: job.processedOn ?? null,
    finishedAt: job.finishedOn ?? null,
  };
}

/**
 * JobQueue on Bull. Bull keeps queued, running and finished jobs; cancelled jobs are removed from Bull
 * and kept as small tombstones (a sorted set plus one key each) for the retention period.
 */
@Injectable()
export class BullJobQueue implements JobQueue {
  private readonly logger = new Logger('BullJobQueue');
  private cleaner: NodeJS.Timeout | undefined;

  constructor(
    @InjectQueue(INFERENCE_QUEUE) private readonly queue: Queue<JobData>,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async submit(modelType: ModelType, body: InferenceBody): Promise<JobRecord> {
    const { attempts, backoffMs } = this.config.jobs;
    const job = await this.withRedis(() =>
      this.queue.add(
        { model_type: modelType, body },
        {
          jobId: randomUUID(),
          attempts,
          backoff: { type: 'exponential', delay: backoffMs },
          removeOnComplete: false,
          removeOnFail: false,
        },
      ),
    );
    return recordOf(job, 'queued');
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const job = await this.withRedis(() => this.queue.getJob(id));
    if (!job) return this.tombstone(id);
    const status = statusOf(await job.getState());
    // The job may have finished between the two reads: then the copy we hold predates its result.
    const settled = (status === 'completed' || status === 'failed') && !job.finishedOn;
    const current = settled ? ((await this.queue.getJob(id)) ?? job) : job;
    return recordOf(current, status);
  }

  async list(filter: { status?: JobStatus; limit: number; offset: number }): Promise<JobPage> {
    const statuses = filter.status
      ? [filter.status]
      : (['queued', 'running', 'completed', 'failed', 'cancelled'] as const);
    const groups = await this.withRedis(() => Promise.all(statuses.map((status) => this.jobsIn(status))));
    const all = groups.flat().sort((a, b) => b.createdAt - a.createdAt);
    return { jobs: all.slice(filter.offset, filter.offset + filter.limit), total: all.length };
  }

  async cancel(id: string): Promise<boolean> {
    const job = await this.withRedis(() => this.queue.getJob(id));
    if (!job) return false;
    try {
      // Bull refuses to remove a locked (active) job, which makes this race-free against workers.
      await job.remove();
    } catch {
      return false;
    }
    const record: JobRecord = { ...recordOf(job, 'cancelled'), finishedAt: Date.now() };
    const ttl = this.config.jobs.retentionSeconds;
    await this.queue.client
      .multi()
      .set(this.tombstoneKey(id), JSON.stringify(record), 'EX', ttl)
      .zadd(this.tombstoneIndex(), record.finishedAt ?? Date.now(), id)
      .exec();
    return true;
  }

  async remove(id: string): Promise<void> {
    const job = await this.withRedis(() => this.queue.getJob(id));
    if (job) await job.remove();
    await this.queue.client.multi().del(this.tombstoneKey(id)).zrem(this.tombstoneIndex(), id).exec();
  }

  async counts(): Promise<Record<JobStatus, number>> {
    const c = await this.withRedis(() => this.queue.getJobCounts());
    const cancelled = await this.queue.client.zcard(this.tombstoneIndex());
    return {
      queued: c.waiting + c.delayed + ((c as { paused?: number }).paused ?? 0),
      running: c.active,
      completed: c.completed,
      failed: c.failed,
      cancelled,
    };
  }

  startWorker(handler: JobHandler, retryable: (error: unknown) => boolean): void {
    void this.queue.process(this.config.jobs.concurrency, async (job: Job<JobData>) => {
      this.logger.log({ msg: 'job attempt started', job_id: job.id, attempt: job.attemptsMade + 1 });
      try {
        return await handler(job.data.model_type, job.data.body);
      } catch (error) {
        if (!retryable(error)) await job.discard();
        this.logger.warn({
          msg: 'job attempt failed',
          job_id: job.id,
          attempt: job.attemptsMade + 1,
          reason: (error as Error).message,
        });
        throw error;
      }
    });
    this.scheduleCleanup();
  }

  async close(): Promise<void> {
    clearInterval(this.cleaner);
    await this.queue.close();
  }

  /**
   * A job the client was not told about is not lost; one it was told about lives in Redis. So Redis being
   * unreachable is a 503 the client can retry, never a silent drop and never a bare 500 — and never a hang:
   * a Redis that accepts connections but does not answer (frozen, partitioned) is a 503 after
   * FOCAL_REDIS_TIMEOUT_MS. A submission timed out that way may still land once Redis answers; it then
   * runs like any other job (inference is idempotent), and the client, told 503, may submit it again.
   */
  private async withRedis<T>(operation: () => Promise<T>): Promise<T> {
    if (this.queue.client.status !== 'ready') {
      throw new ServiceUnavailableError(`job queue unavailable: Redis is ${this.queue.client.status}`);
    }
    const timeoutMs = this.config.jobs.redisTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ServiceUnavailableError(`job queue unavailable: Redis did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([operation(), timeout]);
    } catch (error) {
      if (error instanceof ServiceUnavailableError) throw error;
      if (this.queue.client.status !== 'ready') {
        throw new ServiceUnavailableError(`job queue unavailable: ${(error as Error).message}`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private async jobsIn(status: JobStatus): Promise<JobRecord[]> {
    if (status === 'cancelled') {
      const ids = await this.queue.client.zrevrange(this.tombstoneIndex(), 0, -1);
      const records = await Promise.all(ids.map((id) => this.tombstone(id)));
      return records.filter((r): r is JobRecord => r !== undefined);
    }
    const jobs = await this.queue.getJobs(BULL_STATES[status]);
    return jobs.filter((job): job is Job<JobData> => job !== null).map((job) => recordOf(job, status));
  }

  private async tombstone(id: string): Promise<JobRecord | undefined> {
    const raw = await this.queue.client.get(this.tombstoneKey(id));
    return raw ? (JSON.parse(raw) as JobRecord) : undefined;
  }

  /** Finished jobs and tombstones older than the retention period are dropped. */
  private scheduleCleanup(): void {
    const retentionMs = this.config.jobs.retentionSeconds * 1000;
    const every = Math.min(retentionMs, 60_000);
    this.cleaner = setInterval(() => {
      void Promise.all([
        this.queue.clean(retentionMs, 'completed'),
        this.queue.clean(retentionMs, 'failed'),
        this.queue.client.zremrangebyscore(this.tombstoneIndex(), 0, Date.now() - retentionMs),
      ]).catch((error: Error) => this.logger.warn({ msg: 'job cleanup failed', reason: error.message }));
    }, every);
    this.cleaner.unref();
  }

  private tombstoneKey(id: string): string {
    return `${this.config.jobs.queuePrefix}:${INFERENCE_QUEUE}:focal-cancelled:${id}`;
  }

  private tombstoneIndex(): string {
    return `${this.config.jobs.queuePrefix}:${INFERENCE_QUEUE}:focal-cancelled`;
  }
}
