import type { Family, Job, ModelsStatus } from './client.types.js';

/** A non-2xx answer: Focal always sends `{"detail": "..."}`, which is what the user is shown. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`${status} ${statusName(status)}: ${detail}`);
  }
}

function statusName(status: number): string {
  const names: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    413: 'Payload Too Large',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return names[status] ?? 'Error';
}

function detailOf(body: unknown, text: string): string {
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === 'string') return detail;
  if (detail !== undefined) return JSON.stringify(detail);
  return text || 'no detail in the response';
}

/** Focal on the page's own origin; the key (if any) goes in `Authorization: Bearer`. */
export class FocalClient {
  constructor(private readonly apiKey: () => string) {}

  infer(family: Family, body: object): Promise<unknown> {
    return this.request('POST', `/inference/${family}`, body);
  }

  submitJob(family: Family, body: object): Promise<{ job_id: string; status: string }> {
    return this.request('POST', `/jobs/submit/${family}`, body);
  }

  job(id: string): Promise<Job> {
    return this.request('GET', `/jobs/${encodeURIComponent(id)}`);
  }

  modelsStatus(): Promise<ModelsStatus> {
    return this.request('GET', '/models/status');
  }

  load(family: Family): Promise<unknown> {
    return this.request('POST', '/models/load', { model_type: family });
  }

  unload(family: Family): Promise<unknown> {
    return this.request('POST', '/models/unload', { model_type: family });
  }

  private async request<T>(method: string, path: string, body?: object): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body) headers['content-type'] = 'application/json';
    const key = this.apiKey().trim();
    if (key) headers.authorization = `Bearer ${key}`;
    const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) throw new ApiError(response.status, detailOf(parsed, text));
    return parsed as T;
  }
}
