import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { WorkerInferRequest, WorkerInfo } from '@focal/contracts';
import { ModelHostService } from '../model/model-host.service.js';
import { WorkerMetrics } from '../model/worker.metrics.js';
import { WorkerInferService } from './worker-infer.service.js';

/** The worker's internal API: only the Focal API (or an operator probe) talks to it. */
@ApiExcludeController()
@Controller()
export class WorkerController {
  constructor(
    private readonly host: ModelHostService,
    private readonly inferService: WorkerInferService,
    private readonly metrics: WorkerMetrics,
  ) {}

  @Get('healthz')
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  readyz(@Res() res: Response): void {
    if (this.host.ready) {
      res.status(200).json({ status: 'ready' });
      return;
    }
    const failure = this.host.failed;
    res.status(503).json({ detail: failure ? `model failed to load: ${failure}` : 'model is loading' });
  }

  @Get('v1/info')
  info(): WorkerInfo {
    return this.host.model.info;
  }

  @Post('v1/infer')
  @HttpCode(200)
  infer(@Body() body: WorkerInferRequest): Promise<Record<string, unknown>> {
    return this.inferService.infer(body);
  }

  @Get('metrics')
  async prometheus(@Res() res: Response): Promise<void> {
    const registry = this.metrics.metrics.registry;
    res.type(registry.contentType).send(await registry.metrics());
  }
}
