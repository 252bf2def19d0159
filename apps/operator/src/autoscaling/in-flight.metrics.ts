/** The gauge each API pod exposes on /metrics (apps/api/src/metrics/api.metrics.ts), by model type. */
export const IN_FLIGHT_METRIC = 'focal_model_in_flight_requests';

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** In-flight requests per model type from one Prometheus text exposition; other metrics are skipped. */
export function parseInFlight(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line.trim());
    if (!match || match[1] !== IN_FLIGHT_METRIC) continue;
    const value = Number(match[3]);
    const model = [...(match[2] ?? '').matchAll(LABEL)].find((label) => label[1] === 'model')?.[2];
    if (model === undefined || !Number.isFinite(value) || value < 0) continue;
    counts.set(model, (counts.get(model) ?? 0) + value);
  }
  return counts;
}
