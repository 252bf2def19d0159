import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthResponseDto } from '@focal/contracts';
import { ApiErrorResponses } from '../docs/api-error-responses.decorator.js';
import { HealthService } from './health.service.js';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ operationId: 'root', summary: 'Root: same as /health' })
  @ApiOkResponse({ type: HealthResponseDto })
  @ApiErrorResponses()
  root(): Promise<HealthResponseDto> {
    return this.health.health();
  }

  @Get('health')
  @ApiOperation({ operationId: 'health', summary: 'Health, loaded models, free memory, GPU' })
  @ApiOkResponse({ type: HealthResponseDto })
  @ApiErrorResponses()
  check(): Promise<HealthResponseDto> {
    return this.health.health();
  }
}
