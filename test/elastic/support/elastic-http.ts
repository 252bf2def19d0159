import type { FocalApi } from '../../support/focal-api.process.js';
import { getJson } from '../../support/test-images.js';

export async function modelState(api: FocalApi, type: string): Promise<string> {
  const { body } = await getJson(`${api.url}/models/status`);
  return body[type].state;
}

/** The value of one sample line of the Prometheus text, e.g. `focal_x_total{...model="dinov3"...}`. */
export function sample(metrics: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length, line.lastIndexOf('}') + 1);
    if (Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

export const metricsOf = async (api: FocalApi) => (await getJson(`${api.url}/metrics`)).body as string;
