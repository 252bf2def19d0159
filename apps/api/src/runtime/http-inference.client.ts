import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import {
  BytesValue,
  FRAME_CONTENT_TYPE,
  UpstreamError,
  WorkerInferRequest,
  WorkerInfo,
  decodeFrame,
  encodeFrame,
  errorFromStatus,
} from '@focal/contracts';
import type { InferenceClient } from './inference.client.js';
import { PooledHttpClient, PooledRequest, PooledResponse, RequestTimeoutError } from './pooled-http.client.js';
import { WorkerUnreachableError } from './worker-unreachable.error.js';

function detailOf(response: PooledResponse): string {
  const text = response.body.toString('utf8');
  try {
    const detail = (JSON.parse(text) as { detail?: unknown }).detail;
    return typeof detail === 'string' ? detail : text;
  } catch {
    return text || `status ${response.status}`;
  }
}

/**
 * InferenceClient over HTTP with worker frames both ways (worker-frame.codec.ts): raw image bytes go out,
 * typed arrays come back, no JSON numbers and no base64 on the way. A worker's `{detail}` errors come back as
 * the same typed errors. Connections are pooled and kept alive.
 */
@Injectable()
export class HttpInferenceClient implements InferenceClient, OnApplicationShutdown {
  private readonly http = new PooledHttpClient();

  async infer(endpoint: string, body: WorkerInferRequest, timeoutMs: number): Promise<Record<string, unknown>> {
    const frame = encodeFrame({ images: body.images.map((image) => new BytesValue(image)), params: body.params });
    const response = await this.request(`${endpoint}/v1/infer`, {
      method: 'POST',
      headers: { 'content-type': FRAME_CONTENT_TYPE, accept: FRAME_CONTENT_TYPE },
      body: frame,
      timeoutMs,
    });
    if (response.status !== 200) throw errorFromStatus(response.status, detailOf(response));
    const origin = new URL(endpoint).origin;
    if (!response.contentType.startsWith(FRAME_CONTENT_TYPE)) {
      throw new UpstreamError(`inference service at ${origin} answered ${response.contentType}, not a frame`);
    }
    try {
      return decodeFrame(response.body) as Record<string, unknown>;
    } catch (error) {
      throw new UpstreamError(`inference service at ${origin} sent a malformed frame: ${(error as Error).message}`);
    }
  }

  async isReady(endpoint: string): Promise<boolean> {
    try {
      const response = await this.http.request(`${endpoint}/readyz`, { method: 'GET', timeoutMs: 2000 });
      return response.status === 200;
    } catch {
      return false;
    }
  }

  async info(endpoint: string): Promise<WorkerInfo> {
    const response = await this.request(`${endpoint}/v1/info`, { method: 'GET', timeoutMs: 5000 });
    if (response.status !== 200) throw errorFromStatus(response.status, detailOf(response));
    return JSON.parse(response.body.toString('utf8')) as WorkerInfo;
  }

  onApplicationShutdown(): void {
    this.http.close();
  }

  private async request(url: string, init: PooledRequest): Promise<PooledResponse> {
    try {
      return await this.http.request(url, init);
    } catch (error) {
      const origin = new URL(url).origin;
      if (error instanceof RequestTimeoutError)
        throw new UpstreamError(`inference service at ${origin} failed: timed out`);
      throw new WorkerUnreachableError(`inference service at ${origin} failed: ${(error as Error).message}`);
    }
  }
}
