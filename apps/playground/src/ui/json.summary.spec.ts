import { summariseJson } from './json.summary.js';

describe('summariseJson', () => {
  it('keeps numbers, short strings and keys, and cuts long strings and arrays with a count', () => {
    const summary = summariseJson(
      { processing_time: 0.25, model_id: 'demo', depth_data: 'A'.repeat(10), mask: [1, 2, 3, 4, 5] },
      { string: 4, array: 3 },
    );
    expect(summary).toEqual({
      processing_time: 0.25,
      model_id: 'demo',
      depth_data: 'AAAA… (10 chars)',
      mask: [1, 2, 3, '… 2 more'],
    });
  });

  it('recurses into nested arrays', () => {
    expect(summariseJson([[1, 2, 3]], { string: 10, array: 2 })).toEqual([[1, 2, '… 1 more']]);
  });
});
