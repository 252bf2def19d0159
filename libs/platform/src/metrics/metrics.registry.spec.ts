import { MetricsRegistry } from './metrics.registry.js';

describe('MetricsRegistry', () => {
  it('labels every metric with its app and exposes the HTTP metrics beside the process defaults', async () => {
    const metrics = new MetricsRegistry('api');
    metrics.httpRequests.inc({ method: 'GET', route: '/health', status: '200', model: '' });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /^focal_http_requests_total\{method="GET",route="\/health",status="200",model="",app="api"\} 1$/m,
    );
    expect(text).toMatch(/^focal_process_cpu_seconds_total\{app="api"\} /m);
  });

  it('still reports event-loop lag: a loop blocked for 250 ms shows in the maximum', async () => {
    const metrics = new MetricsRegistry('worker');
    // A loop blocked for 250 ms must show in the sampled delay: the next sample fires that late.
    await new Promise((done) => setTimeout(done, 150));
    const blockedUntil = Date.now() + 250;
    while (Date.now() < blockedUntil) {
      // busy: the event loop cannot run the sampling timer
    }
    await new Promise((done) => setTimeout(done, 250));
    const text = await metrics.registry.metrics();
    const max = Number(/^focal_nodejs_eventloop_lag_max_seconds\{app="worker"\} (\S+)$/m.exec(text)?.[1]);
    expect(max).toBeGreaterThan(0.1);
  });

  it('samples the loop every 100 ms, not every 10 ms: each sample is a wake-up of an idle process', async () => {
    const metrics = new MetricsRegistry('api');
    await new Promise((done) => setTimeout(done, 600));
    const text = await metrics.registry.metrics();
    // node records the time between samples, so the shortest is the sampling interval itself.
    const min = Number(/^focal_nodejs_eventloop_lag_min_seconds\{app="api"\} (\S+)$/m.exec(text)?.[1]);
    expect(min).toBeGreaterThanOrEqual(0.095);
    expect(min).toBeLessThan(0.2);
  });
});
