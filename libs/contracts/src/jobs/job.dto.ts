import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';

const MAX_OFFSET = 1_000_000_000;

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export class JobSubmitResponseDto {
  @ApiProperty({ description: 'Id to poll with GET /jobs/{job_id}.' })
  job_id!: string;

  @ApiProperty({ enum: JOB_STATUSES, example: 'queued', description: 'Always "queued" on submission.' })
  status!: JobStatus;
}

export class JobDto {
  @ApiProperty({ description: 'The job id.' })
  job_id!: string;

  @ApiProperty({ description: 'Model type the job runs on.' })
  model_type!: string;

  @ApiProperty({ enum: JOB_STATUSES, description: 'queued, running, completed, failed or cancelled.' })
  status!: JobStatus;

  @ApiProperty({ nullable: true, description: 'The inference response, once completed.', type: Object })
  result!: unknown;

  @ApiProperty({ nullable: true, type: String, description: 'Why the job failed.' })
  error!: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Attempts made so far (retries back off).' })
  attempts!: number;

  @ApiProperty({ description: 'ISO time of submission.' })
  created_at!: string;

  @ApiProperty({ nullable: true, type: String, description: 'ISO time the job started running.' })
  started_at!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'ISO time it completed, failed or was cancelled.' })
  finished_at!: string | null;
}

export class JobListResponseDto {
  @ApiProperty({ type: [JobDto], description: 'Jobs, newest first, without results (GET /jobs/{id} has them).' })
  jobs!: JobDto[];

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Jobs matching the filter.' })
  total!: number;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Page size used.' })
  limit!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Jobs skipped before this page.' })
  offset!: number;
}

export class JobListQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES, description: 'Only jobs in this status.' })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: JobStatus;

  @ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: 500, description: 'Page size.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  // Bounded so it stays an exact integer: 2^100 parses to a float that IsInt accepts and JSON prints as 1e+30.
  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: MAX_OFFSET, description: 'Jobs to skip.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset?: number;
}

export class JobDeleteResponseDto {
  @ApiProperty({ description: 'The job id.' })
  job_id!: string;

  @ApiProperty({ enum: ['cancelled', 'deleted'], description: 'cancelled (was queued) or deleted (was finished).' })
  status!: 'cancelled' | 'deleted';
}
