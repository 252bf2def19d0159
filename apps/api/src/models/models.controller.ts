import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  LoadModelRequestDto,
  LoadModelResponseDto,
  ModelsStatusResponseDto,
  UnloadModelRequestDto,
  UnloadResponseDto,
} from '@focal/contracts';
import { RequireRole } from '../auth/require-role.decorator.js';
import { ApiErrorResponses } from '../docs/api-error-responses.decorator.js';
import { LOADED_MODEL_LINKS, READY_MODEL_LINKS, UNLOADED_MODEL_LINKS } from './model-lifecycle.links.js';
import { ModelManagerService } from './model-manager.service.js';
import { toLoadResponseDto, toModelStatusDto } from './model-status.mapper.js';
import { requireModelType } from './model-type.pipe.js';

@ApiTags('models')
@ApiBearerAuth()
@RequireRole('admin')
@Controller('models')
export class ModelsController {
  constructor(private readonly models: ModelManagerService) {}

  @Get('status')
  @ApiOperation({
    operationId: 'modelsStatus',
    summary: 'State of every model type (unloaded, loading, ready, failed)',
  })
  @ApiOkResponse({ type: ModelsStatusResponseDto })
  @ApiErrorResponses(401, 403, 503)
  async status(): Promise<ModelsStatusResponseDto> {
    const statuses = await this.models.statusAll();
    return Object.fromEntries(
      statuses.map((s) => [s.modelType, toModelStatusDto(s)]),
    ) as unknown as ModelsStatusResponseDto;
  }

  @Post('load')
  @HttpCode(200)
  @ApiOperation({ operationId: 'loadModel', summary: 'Load a model: 200 once ready, or 202 at once with wait=false' })
  @ApiOkResponse({ type: LoadModelResponseDto, links: READY_MODEL_LINKS })
  @ApiResponse({
    status: 202,
    type: LoadModelResponseDto,
    description: 'Loading started (wait=false).',
    links: LOADED_MODEL_LINKS,
  })
  @ApiErrorResponses(400, 401, 403, 404, 503)
  async load(
    @Body() body: LoadModelRequestDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoadModelResponseDto> {
    const type = requireModelType(body.model_type);
    const wait = body.wait ?? true;
    const status = await this.models.load(type, { modelId: body.model_id, device: body.device, wait });
    if (!wait && status.state !== 'ready') res.status(202);
    return toLoadResponseDto(status);
  }

  @Post('unload')
  @HttpCode(200)
  @ApiOperation({ operationId: 'unloadModel', summary: 'Unload one model type' })
  @ApiOkResponse({ type: UnloadResponseDto, links: UNLOADED_MODEL_LINKS })
  @ApiErrorResponses(400, 401, 403, 404, 503)
  async unload(@Body() body: UnloadModelRequestDto): Promise<UnloadResponseDto> {
    const type = requireModelType(body.model_type);
    const unloaded = await this.models.unload(type);
    return { status: 'unloaded', unloaded: unloaded ? [type] : [] };
  }

  @Post('unload-all')
  @HttpCode(200)
  @ApiOperation({ operationId: 'unloadAllModels', summary: 'Unload every model' })
  @ApiOkResponse({ type: UnloadResponseDto })
  @ApiErrorResponses(401, 403, 503)
  async unloadAll(): Promise<UnloadResponseDto> {
    return { status: 'unloaded', unloaded: await this.models.unloadAll() };
  }
}
