import { Injectable } from '@nestjs/common';
import { UpstreamError, WorkerInfo, errorFromStatus } from '@focal/contracts';
import type { InferenceClient } from './inference.client.js';
import { WorkerUnreachableError } from './worker-unreachable.error.js';

async function detailOf(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const detail = (JSON.parse(text) as { detail?: unknown }).detail;
    return typeof detail === 'string' ? detail : text;
  } catch {
    return text || response.statusText;
  }
}

/** InferenceClient over HTTP/JSON. A worker's `{detail}` errors come back as the same typed errors. */
@Injectable()
export class HttpInferenceClient implements InferenceClient {
  async infer(endpoint: string, body: { images: string[]; params: Record<string, unknown> }, timeoutMs: number) {
    const response = await this.request(`${endpoint}/v1/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw errorFromStatus(response.status, await detailOf(response));
    return (await response.json()) as Record<string, unknown>;
  }

  async isReady(endpoint: string): Promise<boolean> {
    try {
      const response = await fetch(`${endpoint}/readyz`, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      return response.status === 200;
    } catch {
      return false;
    }
  }

  async info(endpoint: string): Promise<WorkerInfo> {
    const response = await this.request(`${endpoint}/v1/info`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw errorFromStatus(response.status, await detailOf(response));
    return (await response.json()) as WorkerInfo;
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      const origin = new URL(url).origin;
      if ((error as Error).name === 'TimeoutError')
        throw new UpstreamError(`inference service at ${origin} failed: timed out`);
      throw new WorkerUnreachableError(`inference service at ${origin} failed: ${cause ?? (error as Error).message}`);
    }
  }
}
