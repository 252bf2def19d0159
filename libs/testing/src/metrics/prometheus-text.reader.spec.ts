import { metricSum } from './prometheus-text.reader.js';

const TEXT = [
  '# HELP focal_x_total Things.',
  '# TYPE focal_x_total counter',
  'focal_x_total{model="dinov3",outcome="served"} 3',
  'focal_x_total{model="dinov3",outcome="failed"} 1',
  'focal_x_total{model="sam3",outcome="served"} 5',
  'focal_x_total_created{model="sam3"} 1700000000',
  'focal_y 2.5',
].join('\n');

describe('metricSum', () => {
  it.each([
    ['focal_x_total', {}, 9],
    ['focal_x_total', { model: 'dinov3' }, 4],
    ['focal_x_total', { model: 'dinov3', outcome: 'served' }, 3],
    ['focal_x_total', { model: 'depth_anything' }, 0],
    ['focal_y', {}, 2.5],
    ['focal_y', { model: 'dinov3' }, 0],
    ['focal_missing', {}, 0],
  ])('%s %j → %d', (name, labels, sum) => {
    expect(metricSum(TEXT, name, labels)).toBe(sum);
  });
});
