import { parseInFlight } from './in-flight.metrics.js';

describe('parseInFlight', () => {
  it('reads the in-flight gauge by model type and skips everything else', () => {
    const text = [
      '# HELP focal_model_in_flight_requests Inference requests in flight',
      '# TYPE focal_model_in_flight_requests gauge',
      'focal_model_in_flight_requests{app="api",model="dinov3"} 3',
      'focal_model_in_flight_requests{model="sam3",app="api"} 0',
      'focal_model_in_flight_requests_total{app="api",model="dinov3"} 99',
      'focal_http_requests_total{app="api",model="dinov3"} 12',
      'focal_model_in_flight_requests{app="api"} 5',
      'focal_model_in_flight_requests{app="api",model="grounding_dino"} NaN',
      '',
    ].join('\n');
    expect(Object.fromEntries(parseInFlight(text))).toEqual({ dinov3: 3, sam3: 0 });
  });

  it('reads nothing from a page without the gauge', () => {
    expect(parseInFlight('up 1\n').size).toBe(0);
  });
});
