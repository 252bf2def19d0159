import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request } from 'express';
import type { AddressInfo } from 'node:net';
import { ApiConfig, ConfigValidationError, loadApiConfig } from '@focal/config';
import { parseModelType } from '@focal/contracts';
import {
  HttpExceptionFilter,
  MetricsRegistry,
  createLogger,
  createValidationPipe,
  httpMetricsMiddleware,
} from '@focal/platform';
import { AppModule } from './app.module.js';
import { jsonShapeMiddleware } from './body/json-shape.middleware.js';
import { setupApiDocs } from './docs/api-docs.setup.js';
import { AdmissionControl } from './inference/admission.control.js';
import { admissionShedMiddleware } from './inference/admission-shed.middleware.js';
import { RefusalPacer } from './inference/refusal.pacer.js';
import { AdmissionRefusalHold } from './inference/admission-refusal.hold.js';
import { ApiMetrics } from './metrics/api.metrics.js';
import { ModelManagerService } from './models/model-manager.service.js';

/** The model type a request is about, for metric labels: from the route, else the body. */
function modelOf(req: Request): string {
  const fromPath = /^\/(?:inference|jobs\/submit)\/([\w-]+)/.exec(req.path)?.[1];
  const fromBody = (req.body as { model_type?: unknown } | undefined)?.model_type;
  const raw = fromPath ?? (typeof fromBody === 'string' ? fromBody : '');
  return parseModelType(raw) ?? '';
}

/** JSON bodies may carry every allowed image as base64 (4/3 of the bytes) plus the other fields. */
function bodyLimit(config: ApiConfig): number {
  return Math.ceil((config.limits.maxImages * config.limits.maxImageBytes * 4) / 3) + 1024 * 1024;
}

async function bootstrap(): Promise<void> {
  const config = loadApiConfig();
  const logger = createLogger('focal-api', config.logging);
  const metrics = new MetricsRegistry('api');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, metrics), {
    logger,
    bodyParser: false,
  });
  // CORS and metrics first, so they also cover the 503s of the shedding that follows.
  app.enableCors({ origin: config.corsOrigins.includes('*') ? true : config.corsOrigins });
  app.use(httpMetricsMiddleware(metrics, modelOf));
  // Before the body parser: a request refused for a full queue costs no parse (admission-shed.middleware.ts).
  const apiMetrics = app.get(ApiMetrics);
  const refusalHold = new AdmissionRefusalHold(new RefusalPacer(config.admission.refusalHoldMaxMs), (model) =>
    apiMetrics.admissionRefusalsHeld.inc({ model }),
  );
  app.use(admissionShedMiddleware(app.get(AdmissionControl), refusalHold));
  app.useBodyParser('json', { limit: bodyLimit(config) });
  // Before any pipe: class-transformer recurses, so depth and widths are bounded first.
  app.use(
    jsonShapeMiddleware({ maxDepth: config.limits.maxJsonDepth, maxArrayLength: config.limits.maxJsonArrayLength }),
  );
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter(refusalHold));
  app.enableShutdownHooks();
  setupApiDocs(app, config.limits);
  await app.listen(config.port, config.host);
  const port = (app.getHttpServer().address() as AddressInfo).port;
  logger.log({
    msg: 'Focal API listening',
    port,
    runtime: config.runtime,
    auto_load: config.autoLoad,
    auth: config.apiKeys.length > 0,
  });
  if (config.preload.length > 0) void app.get(ModelManagerService).preload(config.preload);
}

bootstrap().catch((error: unknown) => {
  const message = error instanceof ConfigValidationError ? error.message : String((error as Error)?.stack ?? error);
  process.stderr.write(`Focal API failed to start: ${message}\n`);
  process.exit(1);
});
