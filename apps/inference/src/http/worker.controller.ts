import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { WorkerInfo } from '@focal/contracts';
import { ModelHostService } from '../model/model-host.service.js';
import { WorkerMetrics } from '../model/worker.metrics.js';
import { readInferRequest } from './infer-request.reader.js';
import { sendInferResult } from './infer-result.sender.js';
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

  /** A frame in, a frame out (the API's path); JSON in, JSON out for tools. See worker-protocol.ts. */
  @Post('v1/infer')
  async infer(@Req() req: Request, @Res() res: Response): Promise<void> {
    const request = readInferRequest(req.headers['content-type'], req.body);
    sendInferResult(req, res, await this.inferService.infer(request));
  }

  @Get('metrics')
  async prometheus(@Res() res: Response): Promise<void> {
    const registry = this.metrics.metrics.registry;
    res.type(registry.contentType).send(await registry.metrics());
  }
}
