import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { ConfigValidationError, type InferenceConfig, loadInferenceConfig } from '@focal/config';
import { FRAME_CONTENT_TYPE, FocalError, WorkerListeningMessage } from '@focal/contracts';
import { HttpExceptionFilter, MetricsRegistry, createLogger, httpMetricsMiddleware } from '@focal/platform';
import { InferenceModule } from './inference.module.js';
import { ModelDirResolver } from './model/model-dir.resolver.js';
import { ModelHostService } from './model/model-host.service.js';
import { createModelFetcher } from './model/model-store.fetcher.js';

/** Written on stderr before exiting, so a parent process can report why loading failed, and with which status. */
function reportLoadError(error: unknown): void {
  const reason = error instanceof ConfigValidationError || !(error instanceof Error) ? String(error) : error.message;
  const status = error instanceof FocalError ? error.status : undefined;
  process.stderr.write(`FOCAL_LOAD_ERROR:${JSON.stringify({ reason, status })}\n`);
}

/** Init-container mode: the same resolution the worker does at load, so the served files are exactly these. */
async function prefetch(config: InferenceConfig): Promise<void> {
  const resolver = new ModelDirResolver(config.hub.rootFolder, createModelFetcher(config));
  const { dir } = await resolver.resolve(config.modelId, config.modelType);
  process.stdout.write(`${JSON.stringify({ msg: 'model prefetched', model_id: config.modelId, dir })}\n`);
}

async function bootstrap(): Promise<void> {
  const config = loadInferenceConfig();
  if (config.prefetchOnly) return prefetch(config);
  const logger = createLogger('focal-inference', config.logging);
  const metrics = new MetricsRegistry('inference');
  const app = await NestFactory.create<NestExpressApplication>(InferenceModule.forRoot(config, metrics), {
    logger,
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: '512mb' });
  app.useBodyParser('raw', { type: FRAME_CONTENT_TYPE, limit: '512mb' });
  app.use(httpMetricsMiddleware(metrics, () => config.modelType));
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  // The API keeps its connections to a worker open between requests; closing idle ones well after its
  // own pool would reuse them avoids a request racing a close (the default is 5 s).
  app.getHttpServer().keepAliveTimeout = 65_000;
  const port = (app.getHttpServer().address() as AddressInfo).port;
  logger.log({ msg: 'worker listening', port, model_type: config.modelType, model_id: config.modelId });
  if (process.send) {
    const message: WorkerListeningMessage = { type: 'listening', port };
    process.send(message);
    if (config.exitWithParent) process.on('disconnect', () => void app.close().finally(() => process.exit(0)));
  }
  try {
    await app.get(ModelHostService).load();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.error({ msg: 'model failed to load', reason, model_type: config.modelType, model_id: config.modelId });
    reportLoadError(error);
    // The exit is what tells the API the load failed: never let a close that waits on an open
    // connection (a keep-alive /readyz probe, say) hold it up.
    await Promise.race([app.close(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    process.exit(1);
  }
}

bootstrap().catch((error: unknown) => {
  reportLoadError(error);
  process.exit(1);
});
