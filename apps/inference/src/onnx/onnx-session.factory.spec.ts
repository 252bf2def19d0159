import { planProviders } from './onnx-session.factory.js';

const NO_CUDA_WARNING = 'CUDA was requested but this onnxruntime-node build has no CUDA provider; running on CPU';

describe('planProviders', () => {
  it.each<[string, 'cpu' | 'cuda', string[], { device: string; providers: string[]; warnings: string[] }]>([
    ['cpu asked, cpu only', 'cpu', ['cpu'], { device: 'cpu', providers: ['cpu'], warnings: [] }],
    ['cpu asked, cuda available', 'cpu', ['cpu', 'cuda'], { device: 'cpu', providers: ['cpu'], warnings: [] }],
    ['cuda asked and available', 'cuda', ['cpu', 'cuda'], { device: 'cuda', providers: ['cuda', 'cpu'], warnings: [] }],
    ['cuda asked, cpu only', 'cuda', ['cpu'], { device: 'cpu', providers: ['cpu'], warnings: [NO_CUDA_WARNING] }],
    ['cuda asked, nothing listed', 'cuda', [], { device: 'cpu', providers: ['cpu'], warnings: [NO_CUDA_WARNING] }],
    [
      'cuda asked, only other GPU backends',
      'cuda',
      ['cpu', 'webgpu', 'dml'],
      { device: 'cpu', providers: ['cpu'], warnings: [NO_CUDA_WARNING] },
    ],
  ])('%s', (_label, requested, available, expected) => {
    expect(planProviders(requested, available)).toEqual(expected);
  });

  it('keeps CPU as the fallback provider behind CUDA', () => {
    const plan = planProviders('cuda', ['cuda']);
    expect(plan.providers[plan.providers.length - 1]).toBe('cpu');
  });
});
