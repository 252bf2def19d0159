import {
  BytesValue,
  FRAME_CONTENT_TYPE,
  InvalidInputError,
  WorkerInferRequest,
  base64Payload,
  decodeFrame,
  decodeStrictBase64,
} from '@focal/contracts';

/** True when the request body is a worker frame (the API's own path); JSON bodies are for tools. */
export function isFrameRequest(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === FRAME_CONTENT_TYPE;
}

/** Reads `/v1/infer`'s body, a frame (raw image bytes) or JSON (base64 images), into one request shape. */
export function readInferRequest(contentType: string | undefined, body: unknown): WorkerInferRequest {
  const raw = isFrameRequest(contentType) ? frameBody(body) : body;
  if (raw === null || typeof raw !== 'object') throw new InvalidInputError('request body must be an object');
  const { images, params } = raw as { images?: unknown; params?: unknown };
  if (!Array.isArray(images) || images.length === 0) throw new InvalidInputError('images must be a non-empty list');
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    throw new InvalidInputError('params must be an object');
  }
  return { images: images.map(imageBytes), params: (params ?? {}) as Record<string, unknown> };
}

function frameBody(body: unknown): unknown {
  if (!Buffer.isBuffer(body)) throw new InvalidInputError('the frame body is missing');
  try {
    return decodeFrame(body);
  } catch (error) {
    throw new InvalidInputError(`malformed frame: ${(error as Error).message}`);
  }
}

function imageBytes(image: unknown, index: number): Uint8Array {
  if (image instanceof BytesValue) {
    if (image.data.length === 0) throw new InvalidInputError(`images[${index}] is empty`);
    return image.data;
  }
  if (typeof image !== 'string' || image.length === 0) {
    throw new InvalidInputError(`images[${index}] must be a non-empty base64 string`);
  }
  const bytes = decodeStrictBase64(base64Payload(image));
  if (bytes === undefined) throw new InvalidInputError(`images[${index}] is not valid base64`);
  return bytes;
}
