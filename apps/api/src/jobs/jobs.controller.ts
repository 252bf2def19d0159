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
import { requireModelType } from '../models/model-type.pipe.js';
import { MultipartBodyInterceptor } from '../uploads/multipart-body.interceptor.js';
import { JobsService } from './jobs.service.js';

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
  @ApiOperation({ summary: 'Submit an async job; the body is the matching /inference/* body' })
  @ApiParam({ name: 'model_type', enum: [...MODEL_TYPES, 'grounding-dino', 'depth-anything'] })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ schema: { oneOf: BODIES.map((dto) => ({ $ref: getSchemaPath(dto) })) } })
  @UseInterceptors(MultipartBodyInterceptor)
  @ApiOkResponse({ type: JobSubmitResponseDto })
  async submit(@Param('model_type') modelType: string, @Body() body: unknown): Promise<JobSubmitResponseDto> {
    const job = await this.jobs.submit(requireModelType(modelType), body);
    return { job_id: job.job_id, status: job.status };
  }

  @Get()
  @ApiOperation({ summary: 'List jobs, newest first, with a status filter and paging' })
  @ApiOkResponse({ type: JobListResponseDto })
  list(@Query() query: JobListQueryDto): Promise<JobListResponseDto> {
    return this.jobs.list(query.status, query.limit, query.offset);
  }

  @Get(':job_id')
  @ApiOperation({ summary: 'A job with its status, result or error' })
  @ApiOkResponse({ type: JobDto })
  get(@Param('job_id') id: string): Promise<JobDto> {
    return this.jobs.get(id);
  }

  @Delete(':job_id')
  @ApiOperation({ summary: 'Cancel a queued job, or delete a finished one (409 while running)' })
  @ApiOkResponse({ type: JobDeleteResponseDto })
  delete(@Param('job_id') id: string): Promise<JobDeleteResponseDto> {
    return this.jobs.delete(id);
  }
}
