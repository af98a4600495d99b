import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import { chain, nodeOf } from '../helpers.js';
import {
  expectCase,
  expectField,
  problemOf,
  runLayer,
  traceOf,
  type FieldCase,
  type LayerCase,
} from './layerCase.js';

// Expected numbers from PyTorch 1.13 (shape of m(torch.zeros(1, *input)), sum of p.numel(),
// sum of b.numel(); MACs as test/oracle/torch_oracle.py counts them).
const cases: readonly LayerCase[] = [
  {
    type: 'ConvTranspose2d',
    name: 'stride 2, padding 1, output_padding 1 doubles 7×7',
    input: [16, 7, 7],
    params: { out_channels: 8, kernel_size: 3, stride: 2, padding: 1, output_padding: 1 },
    shape: [8, 14, 14],
    weights: 1160,
    buffers: 0,
    macs: 56448,
  },
  {
    type: 'ConvTranspose2d',
    name: 'defaults: k4 s1 grows by k−1',
    input: [3, 5, 5],
    params: { out_channels: 2, kernel_size: 4 },
    shape: [2, 8, 8],
    weights: 98,
    buffers: 0,
    macs: 2400,
  },
  {
    type: 'ConvTranspose2d',
    name: 'DCGAN-style k4 s2 p1 doubles',
    input: [64, 16, 16],
    params: { out_channels: 32, kernel_size: 4, stride: 2, padding: 1, bias: false },
    shape: [32, 32, 32],
    weights: 32768,
    buffers: 0,
    macs: 8388608,
  },
  {
    type: 'ConvTranspose2d',
    name: 'groups split the weights',
    input: [4, 5, 5],
    params: { out_channels: 6, kernel_size: 3, groups: 2 },
    shape: [6, 7, 7],
    weights: 114,
    buffers: 0,
    macs: 2700,
  },
  {
    type: 'ConvTranspose2d',
    name: 'rectangular kernel, per-axis stride and dilation',
    input: [8, 14, 14],
    params: {
      out_channels: 6,
      kernel_size: [3, 4],
      stride: [2, 1],
      dilation: 2,
      groups: 2,
      output_padding: [1, 1],
      bias: false,
    },
    shape: [6, 32, 21],
    weights: 288,
    buffers: 0,
    macs: 56448,
  },
  {
    type: 'ConvTranspose2d',
    name: 'output_padding allowed by dilation alone',
    input: [1, 5, 5],
    params: { out_channels: 1, kernel_size: 3, dilation: 2, output_padding: 1 },
    shape: [1, 10, 10],
    weights: 10,
    buffers: 0,
    macs: 225,
  },
  {
    type: 'ConvTranspose2d',
    name: '1×1 input',
    input: [10, 1, 1],
    params: { out_channels: 4, kernel_size: 7 },
    shape: [4, 7, 7],
    weights: 1964,
    buffers: 0,
    macs: 1960,
  },
  {
    type: 'ConvTranspose2d',
    name: 'padding larger than kernel shrinks',
    input: [2, 9, 9],
    params: { out_channels: 2, kernel_size: 3, padding: 2 },
    shape: [2, 7, 7],
    weights: 38,
    buffers: 0,
    macs: 2916,
  },
  {
    type: 'Conv2d',
    name: 'Conv2d same padding with even kernel (asymmetric)',
    input: [3, 10, 10],
    params: { out_channels: 4, kernel_size: 4, padding: 'same' },
    shape: [4, 10, 10],
    weights: 196,
    buffers: 0,
    macs: 19200,
  },
  {
    type: 'Conv2d',
    name: 'Conv2d same padding, even kernel and dilation',
    input: [3, 9, 11],
    params: { out_channels: 4, kernel_size: [2, 4], dilation: 3, padding: 'same' },
    shape: [4, 9, 11],
    weights: 100,
    buffers: 0,
    macs: 9504,
  },
  {
    type: 'Conv2d',
    name: 'Conv2d depthwise groups',
    input: [32, 16, 16],
    params: { out_channels: 32, kernel_size: 3, padding: 1, groups: 32 },
    shape: [32, 16, 16],
    weights: 320,
    buffers: 0,
    macs: 73728,
  },
  {
    type: 'Conv2d',
    name: 'Conv2d dilation',
    input: [1, 28, 28],
    params: { out_channels: 2, kernel_size: 3, dilation: 2 },
    shape: [2, 24, 24],
    weights: 20,
    buffers: 0,
    macs: 10368,
  },
  {
    type: 'Conv2d',
    name: 'Conv2d kernel equal to input',
    input: [3, 5, 5],
    params: { out_channels: 7, kernel_size: 5 },
    shape: [7, 1, 1],
    weights: 532,
    buffers: 0,
    macs: 525,
  },
];

describe('Conv2d and ConvTranspose2d match PyTorch', () => {
  it.each(cases)('$type: $name', (c) => {
    expectCase(c);
  });
});

describe('ConvTranspose2d traces', () => {
  it('plugs the numbers into the transposed formula, params and MACs', () => {
    const n = runLayer([16, 7, 7], 'ConvTranspose2d', {
      out_channels: 8,
      kernel_size: 3,
      stride: 2,
      padding: 1,
      output_padding: 1,
    });
    expect(traceOf(n)).toEqual(
      expect.arrayContaining([
        'C_out = out_channels = 8',
        'H_out = W_out = (7−1)·2 − 2·1 + 1·(3−1) + 1 + 1 = 14',
        'params = 16·8·3·3 + 8 = 1,160',
        'MACs = 16·7·7·8·3·3 = 56,448',
      ]),
    );
  });

  it('shows groups and per-axis sizes', () => {
    const n = runLayer([8, 14, 14], 'ConvTranspose2d', {
      out_channels: 6,
      kernel_size: [3, 4],
      stride: [2, 1],
      dilation: 2,
      groups: 2,
      output_padding: [1, 1],
      bias: false,
    });
    expect(traceOf(n)).toEqual(
      expect.arrayContaining([
        'H_out = (14−1)·2 − 2·0 + 2·(3−1) + 1 + 1 = 32',
        'W_out = (14−1)·1 − 2·0 + 2·(4−1) + 1 + 1 = 21',
        'params = 8·(6/2)·3·4 = 288',
        'MACs = 8·14·14·(6/2)·3·4 = 56,448',
      ]),
    );
  });
});

describe('ConvTranspose2d receptive field (upsample rule)', () => {
  const fields: readonly (readonly [string, Record<string, number>, FieldCase])[] = [
    [
      'k3 s2: jump halves, field grows by (3−1)/2, centred between inputs −1 and 0',
      { kernel_size: 3, stride: 2 },
      { size: [2, 2], jump: [0.5, 0.5], start: [-0.5, -0.5] },
    ],
    [
      'k4 s1: field grows by k−1',
      { kernel_size: 4 },
      { size: [4, 4], jump: [1, 1], start: [-1.5, -1.5] },
    ],
    [
      'k3 d2 s1: dilated extent 4',
      { kernel_size: 3, dilation: 2 },
      { size: [5, 5], jump: [1, 1], start: [-2, -2] },
    ],
    [
      'k4 s2 p1 (DCGAN)',
      { kernel_size: 4, stride: 2, padding: 1 },
      { size: [2.5, 2.5], jump: [0.5, 0.5], start: [-0.25, -0.25] },
    ],
  ];
  it.each(fields)('%s', (_name, params, field) => {
    expectField(runLayer([4, 8, 8], 'ConvTranspose2d', { out_channels: 4, ...params }), field);
  });
});

describe('ConvTranspose2d diagnostics', () => {
  it('rejects output_padding ≥ stride and ≥ dilation, as PyTorch does, with a fix', () => {
    // torch: "output padding must be smaller than either stride or dilation, but got output_padding_height: 1 …"
    const d = problemOf([1, 5, 5], 'ConvTranspose2d', {
      out_channels: 2,
      kernel_size: 3,
      output_padding: 1,
    });
    expect(d.code).toBe('invalid-value');
    expect(d.message).toBe(
      'ConvTranspose2d "layer": output_padding 1×1 must be smaller than stride 1×1 or dilation 1×1 on ' +
        'each axis (PyTorch rejects it). Use output_padding 0×0 or a larger stride.',
    );
    expect(d.fix).toEqual({
      kind: 'set-param',
      description: 'Set output_padding to 0',
      node: 'layer',
      param: 'output_padding',
      value: 0,
    });
  });

  it('checks output_padding per axis', () => {
    const d = problemOf([1, 5, 5], 'ConvTranspose2d', {
      out_channels: 2,
      kernel_size: 3,
      stride: [2, 1],
      output_padding: [1, 1],
    });
    expect(d.code).toBe('invalid-value');
    expect(d.fix).toMatchObject({ param: 'output_padding', value: [1, 0] });
  });

  it('rejects output_padding equal to the stride', () => {
    const d = problemOf([1, 5, 5], 'ConvTranspose2d', {
      out_channels: 2,
      kernel_size: 3,
      stride: 2,
      output_padding: 2,
    });
    expect(d.fix).toMatchObject({ param: 'output_padding', value: 1 });
  });

  it('needs groups to divide both channel counts', () => {
    const d = problemOf([4, 5, 5], 'ConvTranspose2d', {
      out_channels: 6,
      kernel_size: 3,
      groups: 4,
    });
    expect(d.code).toBe('invalid-groups');
    expect(d.message).toContain('groups=4 must divide both in_channels (4) and out_channels (6)');
  });

  it('refuses a flat input', () => {
    const d = problemOf([400], 'ConvTranspose2d', { out_channels: 2, kernel_size: 3 });
    expect(d.code).toBe('wrong-rank');
    expect(d.message).toContain(
      'expects a C×H×W feature map but receives a flat vector of shape 400',
    );
  });

  it('reports padding that leaves no output', () => {
    // (1−1)·1 − 2·1 + 1·(1−1) + 0 + 1 = −1
    const d = problemOf([3, 1, 1], 'ConvTranspose2d', {
      out_channels: 2,
      kernel_size: 1,
      padding: 1,
    });
    expect(d.code).toBe('non-positive-output');
  });

  it('accepts only the zeros padding_mode', () => {
    const d = problemOf([3, 5, 5], 'ConvTranspose2d', {
      out_channels: 2,
      kernel_size: 3,
      padding_mode: 'reflect',
    });
    expect(d.code).toBe('invalid-param');
  });
});

describe('inferred in_channels', () => {
  it.each(['Conv2d', 'ConvTranspose2d'])(
    '%s accepts a matching in_channels from a pasted file',
    (type) => {
      const n = runLayer([3, 8, 8], type, { in_channels: 3, out_channels: 4, kernel_size: 3 });
      expect(n.diagnostics).toEqual([]);
    },
  );

  it.each(['Conv2d', 'ConvTranspose2d'])(
    '%s reports an in_channels that disagrees with the input',
    (type) => {
      const d = problemOf([3, 8, 8], type, { in_channels: 5, out_channels: 4, kernel_size: 3 });
      expect(d.code).toBe('invalid-param');
      expect(d.message).toContain(
        'in_channels is 5 in the file, but the incoming tensor 3×8×8 gives 3',
      );
    },
  );
});

describe('Conv2d edge cases', () => {
  it('pads "same" asymmetrically for an even kernel', () => {
    const n = runLayer([3, 10, 10], 'Conv2d', { out_channels: 4, kernel_size: 4, padding: 'same' });
    expect(
      traceOf(n).some((t) => t === 'H_out = H_in (padding "same": 1 before, 2 after) = 10'),
    ).toBe(true);
    // start = 0 + ((4−1)/2 − 1)·1: the field is centred half a pixel below/right of the input pixel.
    expectField(n, { size: [4, 4], jump: [1, 1], start: [0.5, 0.5] });
  });

  it('reports a kernel larger than the padded input', () => {
    const d = problemOf([3, 4, 4], 'Conv2d', { out_channels: 4, kernel_size: 5, padding: 0 });
    expect(d.code).toBe('kernel-too-large');
    expect(d.message).toContain('the height window spans 5 pixels but the padded input is only 4');
  });

  it('grows the receptive field through conv → pool → conv', () => {
    const a = analyze(
      chain(
        [1, 28, 28],
        ['c1', 'Conv2d', { out_channels: 4, kernel_size: 3 }],
        ['p1', 'MaxPool2d', { kernel_size: 2 }],
        ['c2', 'Conv2d', { out_channels: 4, kernel_size: 3 }],
      ),
    );
    // 3, then 3 + 1·1 = 4 (jump 2), then 4 + 2·2 = 8.
    expectField(nodeOf(a, 'c2'), { size: [8, 8], jump: [2, 2], start: [3.5, 3.5] });
  });
});
