import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FocalError, RetryLaterError } from '@focal/contracts';
import { sendRetryLater, type RefusalHold } from './retry-later.sender.js';

interface HttpErrorLike {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  message?: unknown;
}

/** Errors raised by body-parser and friends carry a 4xx `status` and `expose: true`. */
function clientErrorOf(error: unknown): { status: number; detail: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode, expose, message } = error as HttpErrorLike;
  const code = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : undefined;
  if (code === undefined || code < 400 || code >= 500 || expose === false) return undefined;
  return { status: code, detail: typeof message === 'string' ? message : 'Bad request' };
}

function detailOf(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown; detail?: unknown }).detail ?? (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/**
 * The single place where errors become HTTP: every error body is `{"detail": "..."}`,
 * and no stack trace ever reaches a client. Unknown errors are logged with their stack and become 500.
 * A `RetryLaterError` carries `Retry-After` and may be held first by `refusalHold` (retry-later.sender.ts).
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  constructor(private readonly refusalHold?: RefusalHold) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, detail } = this.map(exception);
    if (status >= 500) {
      const stack = exception instanceof Error ? exception.stack : String(exception);
      this.logger.error({ msg: 'request failed', status, detail, stack });
    }
    // Part of the response is already out: the only honest thing left is to end it.
    if (response.headersSent) {
      response.end();
      return;
    }
    if (exception instanceof RetryLaterError) {
      sendRetryLater(host.switchToHttp().getRequest<Request>(), response, exception, this.refusalHold);
      return;
    }
    response.status(status).json({ detail });
  }

  private map(exception: unknown): { status: number; detail: string } {
    if (exception instanceof FocalError) return { status: exception.status, detail: exception.message };
    if (exception instanceof HttpException) return { status: exception.getStatus(), detail: detailOf(exception) };
    return clientErrorOf(exception) ?? { status: 500, detail: 'Internal server error' };
  }
}
