import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createRequire } from 'node:module';
import type { RequestLimits } from '@focal/config';
import { CocoRleDto, ErrorResponseDto, ImageObjectDto, Sam3DetectionDto } from '@focal/contracts';
import { FOCAL_VERSION } from '../health/health.service.js';
import { refineOpenApiDocument } from './openapi-document.refiner.js';
import { addMultipartSchemas } from './multipart-schemas.js';

const REDOC_PAGE = `<!DOCTYPE html>
<html><head><title>Focal API — ReDoc</title><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/openapi.json"></redoc><script src="/redoc/redoc.standalone.js"></script></body></html>`;

/** Swagger UI at /docs, the raw spec at /openapi.json, ReDoc at /redoc (its bundle served locally, no CDN). */
export function setupApiDocs(app: INestApplication, limits: RequestLimits): void {
  const config = new DocumentBuilder()
    .setTitle('Focal')
    .setDescription('Serving SAM3, Grounding DINO, Depth Anything and DINOv3 over one REST API.')
    .setVersion(FOCAL_VERSION)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key (only when FOCAL_API_KEYS is set)' })
    .build();
  // Models only reached through hand-written schemas ($ref in oneOf/items) must be registered explicitly.
  const extraModels = [ImageObjectDto, Sam3DetectionDto, CocoRleDto, ErrorResponseDto];
  const document = refineOpenApiDocument(SwaggerModule.createDocument(app, config, { extraModels }), limits);
  addMultipartSchemas(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  const redocBundle = createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js');
  const server = app.getHttpAdapter();
  server.get('/redoc', (_req: Request, res: Response) => res.type('html').send(REDOC_PAGE));
  server.get('/redoc/redoc.standalone.js', (_req: Request, res: Response) => res.sendFile(redocBundle));
}
