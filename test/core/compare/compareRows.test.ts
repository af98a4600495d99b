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

  it('gives the receptive field at each output, or the whole input after a Linear layer', () => {
    expect(row('Receptive field at each output')).toMatchObject({
      display: ['5×5', 'whole input', 'whole input'],
      values: [5, Infinity, Infinity],
      formulas: [
        '',
        'fc: a Linear layer connects every output to every input value',
        expect.any(String),
      ],
    });
  });

  it('keeps a Flatten output at its map position’s field, not the whole input', () => {
    const flatOut = chain(
      [1, 28, 28],
      ['conv', 'Conv2d', { out_channels: 4, kernel_size: 3 }],
      ['flatten', 'Flatten'],
    );
    const rf = compareGraphs([{ name: 'flat', graph: flatOut }]).rows.find(
      (r) => r.metric === 'Receptive field at each output',
    );
    expect(rf).toMatchObject({
      display: ['3×3'],
      values: [3],
      formulas: ['flatten: each flattened value keeps its map position’s field'],
    });
  });

  it('says that a network without feature maps sees every input value at its first Linear', () => {
    const mlp = chain([1, 28, 28], ['flatten', 'Flatten'], ['fc1', 'Linear', { out_features: 30 }]);
    const largest = compareGraphs([{ name: 'mlp', graph: mlp }]).rows.find(
      (r) => r.metric === 'Largest receptive field',
    );
    expect(largest).toMatchObject({
      display: ['—'],
      formulas: ['no feature maps: each fc1 unit sees all 784 input values'],
    });
  });

  it('says when the largest field is larger than the image', () => {
    const gap = chain(
      [1, 8, 8],
      ['conv', 'Conv2d', { out_channels: 4, kernel_size: 3 }],
      ['gap', 'AdaptiveAvgPool2d', { output_size: 1 }],
    );
    const largest = compareGraphs([{ name: 'gap', graph: gap }]).rows.find(
      (r) => r.metric === 'Largest receptive field',
    );
    // conv: 3; the global pool is one 6×6 window over it: 3 + 5 = 8, the whole 8×8 input.
    expect(largest).toMatchObject({
      display: ['8×8'],
      formulas: ['at gap (4×1×1): larger than the 8×8 input, so it sees all of it'],
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
