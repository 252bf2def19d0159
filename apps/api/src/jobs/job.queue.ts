import type { JobStatus, ModelType } from '@focal/contracts';
import type { InferenceBody } from '../inference/inference.service.js';

export const JOB_QUEUE = Symbol('JOB_QUEUE');

export interface JobRecord {
  id: string;
  modelType: ModelType;
  status: JobStatus;
  result: unknown;
  error: string | null;
  attempts: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface JobPage {
  jobs: JobRecord[];
  total: number;
}

export type JobHandler = (modelType: ModelType, body: InferenceBody) => Promise<unknown>;

/** The job queue (Bull on Redis): durable across API restarts, retried with backoff. */
export interface JobQueue {
  submit(modelType: ModelType, body: InferenceBody): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | undefined>;
  list(filter: { status?: JobStatus; limit: number; offset: number }): Promise<JobPage>;
  /** Removes a queued job before any worker takes it and records it as cancelled. False if it already started. */
  cancel(id: string): Promise<boolean>;
  /** Forgets a finished (completed, failed or cancelled) job. */
  remove(id: string): Promise<void>;
  counts(): Promise<Record<JobStatus, number>>;
  /** Starts processing; errors for which `retryable` is false fail the job at once. */
  startWorker(handler: JobHandler, retryable: (error: unknown) => boolean): void;
  close(): Promise<void>;
}
