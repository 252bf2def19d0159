import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthResponseDto } from '@focal/contracts';
import { HealthService } from './health.service.js';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Root: same as /health' })
  @ApiOkResponse({ type: HealthResponseDto })
  root(): Promise<HealthResponseDto> {
    return this.health.health();
  }

  @Get('health')
  @ApiOperation({ summary: 'Health, loaded models, free memory, GPU' })
  @ApiOkResponse({ type: HealthResponseDto })
  check(): Promise<HealthResponseDto> {
    return this.health.health();
  }
}
