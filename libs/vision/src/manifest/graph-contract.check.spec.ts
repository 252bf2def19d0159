import type { GraphExpectation } from '../pipeline/model.processor.js';
import { GraphSignature, checkGraphContract } from './graph-contract.check.js';
import type { GraphManifest } from './model-manifest.js';

// A depth-style processor: pixel_values rank 4 in, predicted_depth rank 3 out, intrinsics optional.
const expectation: GraphExpectation = {
  inputs: { pixel_values: 4 },
  outputs: { predicted_depth: 3, intrinsics: 3 },
  optionalOutputs: ['intrinsics'],
};

const manifest: GraphManifest = {
  file: 'onnx/model.onnx',
  inputs: { pixel_values: 'image' },
  outputs: { predicted_depth: 'depth', intrinsics: 'K' },
};

const goodSignature: GraphSignature = { inputs: { image: 4 }, outputs: { depth: 3, K: 3 } };

describe('checkGraphContract', () => {
  it.each<[string, GraphSignature, string[]]>([
    ['a graph that matches', goodSignature, []],
    [
      'unknown ranks (dynamic or unreadable)',
      { inputs: { image: undefined }, outputs: { depth: undefined, K: undefined } },
      [],
    ],
    [
      'extra tensors the processor does not use',
      { inputs: { image: 4, extra: 2 }, outputs: { depth: 3, K: 3, conf: 3 } },
      [],
    ],
    [
      'a missing input',
      { inputs: { pixel_values: 4 }, outputs: { depth: 3 } },
      ['graph "model" has no input "image" (role pixel_values); it has: pixel_values'],
    ],
    [
      'a graph with no inputs at all',
      { inputs: {}, outputs: { depth: 3 } },
      ['graph "model" has no input "image" (role pixel_values); it has: none'],
    ],
    [
      'a wrong input rank',
      { inputs: { image: 3 }, outputs: { depth: 3 } },
      ['graph "model" input "image" has rank 3, expected 4'],
    ],
    [
      'a missing required output',
      { inputs: { image: 4 }, outputs: { predicted_depth: 3, K: 3 } },
      ['graph "model" has no output "depth" (role predicted_depth); it has: predicted_depth, K'],
    ],
    [
      'a wrong output rank',
      { inputs: { image: 4 }, outputs: { depth: 4 } },
      ['graph "model" output "depth" has rank 4, expected 3'],
    ],
    [
      'a present optional output with a wrong rank',
      { inputs: { image: 4 }, outputs: { depth: 3, K: 2 } },
      ['graph "model" output "K" has rank 2, expected 3'],
    ],
    [
      'several problems at once (inputs first)',
      { inputs: { image: 5 }, outputs: { depth: 2 } },
      ['graph "model" input "image" has rank 5, expected 4', 'graph "model" output "depth" has rank 2, expected 3'],
    ],
  ])('%s', (_label, signature, problems) => {
    expect(checkGraphContract('model', manifest, expectation, signature).problems).toEqual(problems);
  });

  it('names the graph it checks', () => {
    const result = checkGraphContract('vision_encoder', manifest, expectation, { inputs: {}, outputs: { depth: 3 } });
    expect(result.problems[0]).toMatch(/^graph "vision_encoder" /);
  });

  it('uses the role as the name when the manifest does not name a required tensor', () => {
    const partial: GraphManifest = { ...manifest, inputs: {} };
    expect(checkGraphContract('model', partial, expectation, goodSignature).problems).toEqual([
      'graph "model" has no input "pixel_values" (role pixel_values); it has: image',
    ]);
  });

  it('keeps the manifest unchanged when every output is present', () => {
    expect(checkGraphContract('model', manifest, expectation, goodSignature).graph).toEqual(manifest);
  });

  it('drops a missing optional output from the returned graph without a problem', () => {
    const result = checkGraphContract('model', manifest, expectation, { inputs: { image: 4 }, outputs: { depth: 3 } });
    expect(result.problems).toEqual([]);
    expect(result.graph).toEqual({
      file: 'onnx/model.onnx',
      inputs: { pixel_values: 'image' },
      outputs: { predicted_depth: 'depth' },
    });
    expect(manifest.outputs).toHaveProperty('intrinsics', 'K'); // the input manifest is not mutated
  });

  it('drops an optional output whose rank is wrong, besides reporting it', () => {
    const result = checkGraphContract('model', manifest, expectation, {
      inputs: { image: 4 },
      outputs: { depth: 3, K: 2 },
    });
    expect(result.graph.outputs).toEqual({ predicted_depth: 'depth' });
  });

  it('accepts an optional output the manifest does not name', () => {
    const noK: GraphManifest = { ...manifest, outputs: { predicted_depth: 'depth' } };
    const result = checkGraphContract('model', noK, expectation, goodSignature);
    expect(result.problems).toEqual([]);
    expect(result.graph.outputs).toEqual({ predicted_depth: 'depth' });
  });

  it('keeps manifest outputs the processor has no expectation for', () => {
    const withExtra: GraphManifest = { ...manifest, outputs: { ...manifest.outputs, confidence: 'conf' } };
    const result = checkGraphContract('model', withExtra, expectation, goodSignature);
    expect(result.graph.outputs).toEqual({ predicted_depth: 'depth', intrinsics: 'K', confidence: 'conf' });
  });

  it('never treats an input as optional, even one listed among optional outputs', () => {
    const odd: GraphExpectation = { ...expectation, optionalOutputs: ['intrinsics', 'pixel_values'] };
    expect(checkGraphContract('model', manifest, odd, { inputs: {}, outputs: { depth: 3 } }).problems).toHaveLength(1);
  });
});
