import { CallHandler, ExecutionContext, Injectable, NestInterceptor, StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';
import { Observable, map } from 'rxjs';
import { jsonChunks } from '@focal/contracts';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Writes an inference result as JSON in one pass from its typed arrays (jsonChunks), the same text
 * `res.json` would send. A body that fits one chunk goes out with a Content-Length; a larger one is streamed
 * chunk by chunk, so the API never holds the whole text of a multi-megabyte feature map.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<StreamableFile> {
    return next.handle().pipe(map((value: unknown) => jsonBody(value)));
  }
}

export function jsonBody(value: unknown): StreamableFile {
  const chunks = jsonChunks(value);
  const first = chunks.next();
  const head = first.done ? '' : first.value;
  const second = first.done ? first : chunks.next();
  if (second.done) {
    const body = Buffer.from(head, 'utf8');
    return new StreamableFile(body, { type: JSON_TYPE, length: body.length });
  }
  // Strings, not Buffers: the socket writes a string from native memory it frees once written, where a
  // Buffer's memory waits for a garbage collection (about 64 MB of them piled up at concurrency 8). Object
  // mode keeps them strings; one chunk ahead at most.
  return new StreamableFile(Readable.from(bodyChunks(head, second.value, chunks), { highWaterMark: 1 }), {
    type: JSON_TYPE,
  });
}

function* bodyChunks(head: string, next: string, rest: Generator<string>): Generator<string> {
  yield head;
  yield next;
  yield* rest;
}
