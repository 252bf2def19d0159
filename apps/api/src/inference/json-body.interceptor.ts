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
  const head = Buffer.from(first.done ? '' : first.value, 'utf8');
  const second = first.done ? first : chunks.next();
  if (second.done) return new StreamableFile(head, { type: JSON_TYPE, length: head.length });
  const rest = Buffer.from(second.value, 'utf8');
  return new StreamableFile(Readable.from(bodyChunks(head, rest, chunks), { objectMode: false }), { type: JSON_TYPE });
}

function* bodyChunks(head: Buffer, next: Buffer, rest: Generator<string>): Generator<Buffer> {
  yield head;
  yield next;
  for (const text of rest) yield Buffer.from(text, 'utf8');
}
