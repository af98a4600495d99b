import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import { chain, graph, nodeOf } from '../helpers.js';

const MAX = Number.MAX_SAFE_INTEGER; // 2^53 − 1 = 9,007,199,254,740,991 = 6361 · 69431 · 20394401

/** The too-large diagnostic of a graph, as [node, message], or null when every count is exact. */
function refusal(doc: Parameters<typeof analyze>[0]): [string | undefined, string] | null {
  const d = analyze(doc).diagnostics.find((x) => x.code === 'too-large');
  return d === undefined ? null : [d.node, d.message];
}

describe('every count stays exact: beyond 2^53 − 1 the analysis refuses, naming node and quantity', () => {
  it.each([
    [
      'Linear parameters = 2^53 − 1 (just below)',
      chain([6361 * 69431], ['fc', 'Linear', { out_features: 20394401, bias: false }]),
      null,
    ],
    [
      'Linear parameters = 2^53 (just above)',
      chain([2 ** 26], ['fc', 'Linear', { out_features: 2 ** 27, bias: false }]),
      ['fc', 'Linear "fc": its parameters would be about 9.01·10^15'],
    ],
    ['Input of 94906265² elements (just below)', chain([1, 94906265, 94906265]), null],
    [
      'Input of 94906266² elements (just above)',
      chain([1, 94906266, 94906266]),
      ['input', 'Input "input": the elements of its output 1×94906266×94906266 would be about'],
    ],
    [
      'Input 1e9³',
      chain([1e9, 1e9, 1e9]),
      [
        'input',
        'the elements of its output 1000000000×1000000000×1000000000 would be about 1.00·10^27',
      ],
    ],
    [
      'Conv2d out_channels 1e15',
      chain([1, 28, 28], ['conv', 'Conv2d', { out_channels: 1e15, kernel_size: 1 }]),
      ['conv', 'Conv2d "conv": the elements of its output'],
    ],
    [
      'two Linear layers of 2^52 parameters: the total is 2^53',
      chain(
        [2 ** 26],
        ['fc1', 'Linear', { out_features: 2 ** 26, bias: false }],
        ['fc2', 'Linear', { out_features: 2 ** 26, bias: false }],
      ),
      ['fc2', `Linear "fc2": the network's parameters up to this layer would be about 9.01·10^15`],
    ],
    [
      'two strides of 1e9: an effective stride of 1e18',
      chain(
        [1, 1, 1],
        ['c1', 'Conv2d', { out_channels: 1, kernel_size: 1, stride: 1e9 }],
        ['c2', 'Conv2d', { out_channels: 1, kernel_size: 1, stride: 1e9 }],
      ),
      ['c2', 'Conv2d "c2": its effective stride would be about 1.00·10^18'],
    ],
  ] as const)('%s', (_name, doc, expected) => {
    const found = refusal(doc);
    if (expected === null) {
      expect(found).toBeNull();
      return;
    }
    expect(found?.[0]).toBe(expected[0]);
    expect(found?.[1]).toContain(expected[1]);
    expect(found?.[1]).toContain('beyond 2^53 − 1 = 9,007,199,254,740,991');
  });

  it('just below, the count is reported exactly', () => {
    const a = analyze(
      chain([6361 * 69431], ['fc', 'Linear', { out_features: 20394401, bias: false }]),
    );
    expect(a.hasErrors).toBe(false);
    expect([nodeOf(a, 'fc').params, nodeOf(a, 'fc').macs, a.totals.params]).toEqual([
      MAX,
      MAX,
      MAX,
    ]);
  });

  it('the editor shows a total refusal on its node, and no output flows from a refused node', () => {
    const a = analyze(
      chain(
        [2 ** 26],
        ['fc1', 'Linear', { out_features: 2 ** 26, bias: false }],
        ['fc2', 'Linear', { out_features: 2 ** 26, bias: false }],
      ),
    );
    expect(nodeOf(a, 'fc2').diagnostics.map((d) => d.code)).toContain('too-large');
    expect(a.layers.find((l) => l.id === 'fc2')?.diagnostics.map((d) => d.code)).toContain(
      'too-large',
    );
    const conv = analyze(
      graph(
        [
          ['input', 'Input', { shape: [1, 28, 28] }],
          ['conv', 'Conv2d', { out_channels: 1e15, kernel_size: 1 }],
          ['relu', 'ReLU'],
        ],
        ['input->conv', 'conv->relu'],
      ),
    );
    expect([nodeOf(conv, 'conv').outputShape, nodeOf(conv, 'relu').outputShape]).toEqual([
      null,
      null,
    ]);
  });
});
