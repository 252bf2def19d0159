import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  DepthAnythingRequestDto,
  Dinov3RequestDto,
  GroundingDinoRequestDto,
  JobDeleteResponseDto,
  JobDto,
  JobListQueryDto,
  JobListResponseDto,
  JobSubmitResponseDto,
  MODEL_TYPES,
  Sam3RequestDto,
} from '@focal/contracts';
import { RequireRole } from '../auth/require-role.decorator.js';
import { ApiErrorResponses } from '../docs/api-error-responses.decorator.js';
import { requireModelType } from '../models/model-type.pipe.js';
import { MultipartBodyInterceptor } from '../uploads/multipart-body.interceptor.js';
import { JobsService } from './jobs.service.js';

/** What JobsService accepts as an id (anything else is a 400). */
const JOB_ID_SCHEMA = { type: 'string', pattern: '^[\\w-]{1,64}$' } as const;

const BODIES = [Sam3RequestDto, GroundingDinoRequestDto, DepthAnythingRequestDto, Dinov3RequestDto];

@ApiTags('jobs')
@ApiBearerAuth()
@ApiExtraModels(...BODIES)
@RequireRole('inference')
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Post('submit/:model_type')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'submitJob',
    summary: 'Submit an async job; the body is the matching /inference/* body',
  })
  @ApiParam({ name: 'model_type', enum: [...MODEL_TYPES, 'grounding-dino', 'depth-anything'] })
  @ApiConsumes('application/json', 'multipart/form-data')
  // anyOf, not oneOf: a sam3 body is also a valid dinov3 body (extra fields are dropped), so exactly-one never holds.
  @ApiBody({ schema: { anyOf: BODIES.map((dto) => ({ $ref: getSchemaPath(dto) })) } })
  @ApiOkResponse({
    type: JobSubmitResponseDto,
    links: {
      GetJob: { operationId: 'getJob', parameters: { job_id: '$response.body#/job_id' } },
      DeleteJob: { operationId: 'deleteJob', parameters: { job_id: '$response.body#/job_id' } },
    },
  })
  @ApiErrorResponses(400, 401, 403, 404, 413, 429, 503)
  @UseInterceptors(MultipartBodyInterceptor)
  async submit(@Param('model_type') modelType: string, @Body() body: unknown): Promise<JobSubmitResponseDto> {
    const job = await this.jobs.submit(requireModelType(modelType), body);
    return { job_id: job.job_id, status: job.status };
  }

  @Get()
  @ApiOperation({ operationId: 'listJobs', summary: 'List jobs, newest first, with a status filter and paging' })
  @ApiOkResponse({ type: JobListResponseDto })
  @ApiErrorResponses(400, 401, 403, 503)
  list(@Query() query: JobListQueryDto): Promise<JobListResponseDto> {
    return this.jobs.list(query.status, query.limit, query.offset);
  }

  @Get(':job_id')
  @ApiOperation({ operationId: 'getJob', summary: 'A job with its status, result or error' })
  @ApiParam({ name: 'job_id', schema: JOB_ID_SCHEMA })
  @ApiOkResponse({
    type: JobDto,
    links: { DeleteJob: { operationId: 'deleteJob', parameters: { job_id: '$response.body#/job_id' } } },
  })
  @ApiErrorResponses(400, 401, 403, 404, 503)
  get(@Param('job_id') id: string): Promise<JobDto> {
    return this.jobs.get(id);
  }

  @Delete(':job_id')
  @ApiOperation({
    operationId: 'deleteJob',
    summary: 'Cancel a queued job, or delete a finished one (409 while running)',
  })
  @ApiParam({ name: 'job_id', schema: JOB_ID_SCHEMA })
  @ApiOkResponse({ type: JobDeleteResponseDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 503)
  delete(@Param('job_id') id: string): Promise<JobDeleteResponseDto> {
    return this.jobs.delete(id);
  }
}
