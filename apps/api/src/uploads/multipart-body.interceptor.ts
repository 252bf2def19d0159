import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { Observable } from 'rxjs';
import type { ApiConfig } from '@focal/config';
import { InvalidInputError, PayloadTooLargeError } from '@focal/contracts';
import { API_CONFIG } from '../config/api-config.token.js';
import { UploadedPart, multipartBody } from './multipart-fields.js';

const FIELD_LIMIT = 64;

/**
 * Accepts `multipart/form-data` on a JSON route: parses it in memory under the image limits
 * (FOCAL_MAX_IMAGES files, FOCAL_MAX_IMAGE_BYTES each → 413) and puts the equivalent JSON body in
 * `req.body`, so the route's validation pipe and service see what a JSON client would send. Runs after the
 * auth guard, so an unauthorised upload is refused before it is read. JSON requests pass untouched.
 */
@Injectable()
export class MultipartBodyInterceptor implements NestInterceptor {
  private readonly parse: RequestHandler;
  private readonly limits: ApiConfig['limits'];

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.limits = config.limits;
    const { maxImages, maxImageBytes } = config.limits;
    this.parse = multer({
      storage: multer.memoryStorage(),
      limits: {
        fileSize: maxImageBytes,
        files: maxImages,
        fields: FIELD_LIMIT,
        // A text field may carry a base64 image: 4/3 of the bytes.
        fieldSize: Math.ceil((maxImageBytes * 4) / 3) + 1024,
        parts: maxImages + FIELD_LIMIT,
      },
    }).any();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (!req.is('multipart/form-data')) return next.handle();
    await this.run(req, http.getResponse<Response>());
    const files = (req.files as UploadedPart[] | undefined) ?? [];
    req.body = multipartBody((req.body ?? {}) as Record<string, unknown>, files);
    return next.handle();
  }

  private run(req: Request, res: Response): Promise<void> {
    return new Promise((resolve, reject) =>
      this.parse(req, res, (error: unknown) => (error ? reject(this.domainError(error)) : resolve())),
    );
  }

  private domainError(error: unknown): Error {
    const { maxImages, maxImageBytes } = this.limits;
    const code = (error as { code?: string }).code;
    if (code === 'LIMIT_FILE_SIZE') return new PayloadTooLargeError(`an image is larger than ${maxImageBytes} bytes`);
    if (code === 'LIMIT_FIELD_VALUE') return new PayloadTooLargeError('a form field is too large');
    if (code === 'LIMIT_FILE_COUNT') {
      return new InvalidInputError(`too many images: more than ${maxImages} per request`);
    }
    if (code === 'LIMIT_FIELD_COUNT' || code === 'LIMIT_PART_COUNT') {
      return new InvalidInputError(`too many form fields (at most ${FIELD_LIMIT})`);
    }
    return new InvalidInputError(`malformed multipart body: ${(error as Error).message}`);
  }
}
