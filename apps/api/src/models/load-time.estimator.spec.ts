import { buildApiConfig } from '@focal/config';
import { LoadTimeEstimator } from './load-time.estimator.js';

describe('LoadTimeEstimator', () => {
  const estimator = () => new LoadTimeEstimator(buildApiConfig({ FOCAL_EXPECTED_LOAD_SECONDS: '42' }));

  it('expects the configured default before any load was measured', () => {
    expect(estimator().expectedSeconds('sam3', 'cpu')).toBe(42);
  });

  it('expects the median of measured loads, per model type and device', () => {
    const subject = estimator();
    for (const seconds of [3, 1, 2]) subject.record('sam3', 'cpu', seconds);
    subject.record('sam3', 'cpu', 10);
    subject.record('sam3', 'cuda', 100);
    expect(subject.expectedSeconds('sam3', 'cpu')).toBe(2.5);
    expect(subject.expectedSeconds('sam3', 'cuda')).toBe(100);
    expect(subject.expectedSeconds('dinov3', 'cpu')).toBe(42);
  });

  it('keeps only the 20 most recent loads', () => {
    const subject = estimator();
    for (let i = 0; i < 20; i++) subject.record('dinov3', 'cpu', 100);
    for (let i = 0; i < 11; i++) subject.record('dinov3', 'cpu', 1);
    expect(subject.expectedSeconds('dinov3', 'cpu')).toBe(1);
  });
});
