import { Inject, Injectable } from '@nestjs/common';
import {
  ConflictError,
  DepthAnythingRequestDto,
  Dinov3RequestDto,
  GroundingDinoRequestDto,
  InvalidInputError,
  JobDto,
  JobListResponseDto,
  JobStatus,
  ModelType,
  NotFoundError,
  Sam3RequestDto,
} from '@focal/contracts';
import { validateDto } from '@focal/platform';
import { InferenceBody, InferenceService } from '../inference/inference.service.js';
import { JOB_QUEUE, type JobQueue, type JobRecord } from './job.queue.js';

const REQUEST_DTOS = {
  sam3: Sam3RequestDto,
  grounding_dino: GroundingDinoRequestDto,
  depth_anything: DepthAnythingRequestDto,
  dinov3: Dinov3RequestDto,
} as const;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toJobDto(record: JobRecord, withResult = true): JobDto {
  return {
    job_id: record.id,
    model_type: record.modelType,
    status: record.status,
    result: withResult ? (record.result ?? null) : null,
    error: record.error,
    attempts: record.attempts,
    created_at: new Date(record.createdAt).toISOString(),
    started_at: iso(record.startedAt),
    finished_at: iso(record.finishedAt),
  };
}

/**
 * Async jobs: a job is accepted only after the same validation a synchronous call gets, and from then
 * on it ends completed, failed (with its error) or cancelled — never silently dropped.
 */
@Injectable()
export class JobsService {
  constructor(
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly inference: InferenceService,
  ) {}

  async submit(type: ModelType, body: unknown): Promise<JobDto> {
    const dto = await validateDto(REQUEST_DTOS[type], body);
    const plain = JSON.parse(JSON.stringify(dto)) as InferenceBody;
    await this.inference.precheck(type, plain);
    return toJobDto(await this.queue.submit(type, plain));
  }

  async get(id: string): Promise<JobDto> {
    return toJobDto(await this.require(id));
  }

  async list(status: JobStatus | undefined, limit = 50, offset = 0): Promise<JobListResponseDto> {
    const page = await this.queue.list({ status, limit, offset });
    return { jobs: page.jobs.map((r) => toJobDto(r, false)), total: page.total, limit, offset };
  }

  /** Cancels a queued job; removes a finished one; refuses a running one. */
  async delete(id: string): Promise<{ job_id: string; status: 'cancelled' | 'deleted' }> {
    const job = await this.require(id);
    if (job.status === 'queued') {
      if (await this.queue.cancel(id)) return { job_id: id, status: 'cancelled' };
      throw new ConflictError(`job ${id} started running before it could be cancelled`);
    }
    if (job.status === 'running') {
      throw new ConflictError(`job ${id} is running and cannot be cancelled; delete it once it has finished`);
    }
    await this.queue.remove(id);
    return { job_id: id, status: 'deleted' };
  }

  private async require(id: string): Promise<JobRecord> {
    if (!/^[\w-]{1,64}$/.test(id)) throw new InvalidInputError('job id is malformed');
    const job = await this.queue.get(id);
    if (!job) throw new NotFoundError(`job ${id} not found`);
    return job;
  }
}
