import { describe, expect, it } from 'vitest';
import { compareGraphs } from '../../../src/core/compare/compareGraphs.js';
import { chain } from '../../helpers.js';

const conv = chain(
  [1, 28, 28],
  ['conv', 'Conv2d', { out_channels: 4, kernel_size: 5 }],
  ['relu', 'ReLU'],
);
const classifier = chain(
  [1, 28, 28],
  ['conv', 'Conv2d', { out_channels: 4, kernel_size: 3 }],
  ['flatten', 'Flatten'],
  ['fc', 'Linear', { out_features: 10 }],
);
const broken = chain([1, 28, 28], ['fc', 'Linear', { out_features: 10 }]);

describe('compareGraphs rows added for the compare view', () => {
  const c = compareGraphs([
    { name: 'conv', graph: conv },
    { name: 'classifier', graph: classifier },
    { name: 'broken', graph: broken },
  ]);
  const row = (metric: string) => c.rows.find((r) => r.metric === metric);

  it('gives the receptive field at each output, or the whole input after Flatten', () => {
    expect(row('Receptive field at each output')).toMatchObject({
      display: ['5×5', 'whole input', 'whole input'],
      values: [5, Infinity, Infinity],
      formulas: ['', 'fc: after Flatten every output sees all pixels', expect.any(String)],
    });
  });

  it('says where the largest field is reached', () => {
    expect(row('Largest receptive field')?.formulas.slice(0, 2)).toEqual([
      'at conv (4×24×24)',
      'at conv (4×26×26)',
    ]);
  });

  it('never marks a graph with errors as the cheapest', () => {
    const params = row('Parameters');
    expect(params?.values[2]).toBe(0);
    expect(params?.best).toBe(0);
    expect(c.problems).toHaveLength(1);
  });
});

describe('the receptive field at each output', () => {
  it('counts a flat input’s classifier and an image classifier as equal: both see everything', () => {
    const mlp = chain([784], ['fc', 'Linear', { out_features: 10 }]);
    const rf = compareGraphs([
      { name: 'mlp', graph: mlp },
      { name: 'cnn', graph: classifier },
    ]).rows.find((r) => r.metric === 'Receptive field at each output');
    expect(rf).toMatchObject({ display: ['whole input', 'whole input'], differs: false });
  });
});
