import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { parseModelType } from '@focal/contracts';
import { ModelActivityTracker } from './model-activity.tracker.js';
import { modelRequestContext, type ModelRequestContext } from './model-request.context.js';
import { preferredWaitSeconds } from './prefer.header.js';

/** The model type named by the last path segment of `/inference/<model>`. */
function modelTypeOf(request: Request) {
  const segment = request.path.split('/').filter(Boolean).pop() ?? '';
  return parseModelType(segment);
}

function setColdStartHeaders(response: Response, context: ModelRequestContext): void {
  if (response.headersSent) return;
  response.setHeader('X-Model-Cold-Start', String(context.coldStart));
  if (context.coldStart && context.loadWaitSeconds !== undefined) {
    response.setHeader('X-Model-Load-Time', context.loadWaitSeconds.toFixed(3));
  }
  if (context.preferenceApplied) response.setHeader('Preference-Applied', `wait=${context.preferWaitSeconds}`);
}

/**
 * Wraps each `/inference/*` request: counts it in flight for its model (the idle unloader and the autoscaler
 * read the count), runs the handler inside a ModelRequestContext carrying its `Prefer: wait`, and answers with
 * `X-Model-Cold-Start`, `X-Model-Load-Time` and `Preference-Applied` from what the model manager recorded there,
 * on errors too (a 503 deferred by `Prefer: wait` says it was cold).
 */
@Injectable()
export class ModelRequestInterceptor implements NestInterceptor {
  constructor(private readonly activity: ModelActivityTracker) {}

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = execution.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const modelType = modelTypeOf(request);
    if (!modelType) return next.handle();
    const context: ModelRequestContext = {
      modelType,
      preferWaitSeconds: preferredWaitSeconds(request.headers.prefer),
      coldStart: false,
      loadWaitSeconds: undefined,
      preferenceApplied: false,
    };
    return new Observable((subscriber) => {
      this.activity.begin(modelType);
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        setColdStartHeaders(response, context);
        this.activity.end(modelType);
      };
      // The handler runs when subscribed: subscribing inside run() gives its whole async chain the context.
      const subscription = modelRequestContext.run(context, () =>
        next.handle().subscribe({
          next: (value) => {
            end();
            subscriber.next(value);
          },
          error: (error: unknown) => {
            end();
            subscriber.error(error);
          },
          complete: () => {
            end();
            subscriber.complete();
          },
        }),
      );
      return () => {
        end();
        subscription.unsubscribe();
      };
    });
  }
}
