/**
 * The sum of a metric's samples in Prometheus text (`/metrics`) whose labels include every `labels` pair, 0 when
 * none does. Summing covers both a single sample (labels that pick one series) and a total over series
 * (e.g. every route's `focal_http_requests_total`). `name` matches exactly: `x_total` is not `x_total_created`.
 */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.startsWith(`${name}{`) ? line.slice(name.length, line.lastIndexOf('}') + 1) : '';
    if (wanted.every((pair) => labelText.includes(pair))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
