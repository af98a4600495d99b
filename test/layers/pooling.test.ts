import { describe, expect, it } from 'vitest';
import type { ParamValue } from '../../src/core/graph/document.js';
import {
  expectCase,
  expectField,
  problemOf,
  runLayer,
  traceOf,
  type FieldCase,
  type LayerCase,
} from './layerCase.js';

// Output shapes from PyTorch 1.13: m(torch.zeros(1, *input)).shape[1:]. Pools have no
// parameters, buffers or MACs.
const cases: readonly LayerCase[] = [
  {
    type: 'MaxPool2d',
    name: 'LeNet 2×2 pool, stride defaults to kernel',
    input: [6, 28, 28],
    params: { kernel_size: 2 },
    shape: [6, 14, 14],
  },
  {
    type: 'MaxPool2d',
    name: 'ResNet stem pool k3 s2 p1',
    input: [64, 112, 112],
    params: { kernel_size: 3, stride: 2, padding: 1 },
    shape: [64, 56, 56],
  },
  {
    type: 'MaxPool2d',
    name: 'AlexNet pool k3 s2',
    input: [64, 55, 55],
    params: { kernel_size: 3, stride: 2 },
    shape: [64, 27, 27],
  },
  {
    type: 'MaxPool2d',
    name: 'ceil_mode keeps a partial last window',
    input: [1, 8, 8],
    params: { kernel_size: 3, stride: 2, ceil_mode: true },
    shape: [1, 4, 4],
  },
  {
    type: 'MaxPool2d',
    name: 'ceil_mode equals floor when windows fit',
    input: [1, 7, 7],
    params: { kernel_size: 3, stride: 2, ceil_mode: true },
    shape: [1, 3, 3],
  },
  {
    type: 'MaxPool2d',
    name: 'ceil_mode drops a last window starting in the padding',
    input: [1, 5, 5],
    params: { kernel_size: 2, stride: 2, padding: 1, ceil_mode: true },
    shape: [1, 3, 3],
  },
  {
    type: 'MaxPool2d',
    name: 'ceil_mode lets a window larger than the input produce 1',
    input: [1, 2, 2],
    params: { kernel_size: 3, ceil_mode: true },
    shape: [1, 1, 1],
  },
  {
    type: 'MaxPool2d',
    name: 'dilation widens the window',
    input: [6, 16, 10],
    params: { kernel_size: 3, stride: 1, padding: 1, dilation: 2 },
    shape: [6, 14, 8],
  },
  {
    type: 'MaxPool2d',
    name: 'rectangular kernel and stride',
    input: [4, 9, 12],
    params: { kernel_size: [3, 2], stride: [1, 2] },
    shape: [4, 7, 6],
  },
  {
    type: 'MaxPool2d',
    name: 'explicit null stride',
    input: [2, 9, 9],
    params: { kernel_size: 3, stride: null },
    shape: [2, 3, 3],
  },
  {
    type: 'AvgPool2d',
    name: 'AvgPool2d 2×2',
    input: [16, 10, 10],
    params: { kernel_size: 2, stride: 2 },
    shape: [16, 5, 5],
  },
  {
    type: 'AvgPool2d',
    name: 'AvgPool2d padding and ceil_mode',
    input: [2, 6, 6],
    params: { kernel_size: 3, stride: 2, padding: 1, ceil_mode: true },
    shape: [2, 4, 4],
  },
  {
    type: 'AvgPool2d',
    name: 'AvgPool2d count_include_pad and divisor_override do not change the shape',
    input: [2, 7, 7],
    params: { kernel_size: 3, padding: 1, count_include_pad: false, divisor_override: 4 },
    shape: [2, 3, 3],
  },
  {
    type: 'AdaptiveAvgPool2d',
    name: 'AdaptiveAvgPool2d global (ResNet head)',
    input: [512, 7, 7],
    params: { output_size: 1 },
    shape: [512, 1, 1],
  },
  {
    type: 'AdaptiveAvgPool2d',
    name: 'AdaptiveAvgPool2d 7×7 on 14×14',
    input: [512, 14, 14],
    params: { output_size: 7 },
    shape: [512, 7, 7],
  },
  {
    type: 'AdaptiveAvgPool2d',
    name: 'AdaptiveAvgPool2d non-divisible 10→3',
    input: [3, 10, 10],
    params: { output_size: 3 },
    shape: [3, 3, 3],
  },
  {
    type: 'AdaptiveAvgPool2d',
    name: 'AdaptiveAvgPool2d null keeps H',
    input: [3, 8, 10],
    params: { output_size: [null, 3] },
    shape: [3, 8, 3],
  },
  {
    type: 'AdaptiveAvgPool2d',
    name: 'AdaptiveAvgPool2d larger than input (windows overlap)',
    input: [3, 3, 3],
    params: { output_size: 5 },
    shape: [3, 5, 5],
  },
  {
    type: 'AdaptiveMaxPool2d',
    name: 'AdaptiveMaxPool2d [3,4] on 5×10',
    input: [3, 5, 10],
    params: { output_size: [3, 4] },
    shape: [3, 3, 4],
  },
  {
    type: 'AdaptiveMaxPool2d',
    name: 'AdaptiveMaxPool2d AlexNet 6×6 on 13×13',
    input: [256, 13, 13],
    params: { output_size: [6, 6] },
    shape: [256, 6, 6],
  },
];

describe('pooling layers match PyTorch', () => {
  it.each(cases)('$type: $name', (c) => {
    expectCase(c);
  });
});

describe('pooling receptive fields', () => {
  const fields: readonly (readonly [
    string,
    readonly number[],
    string,
    Record<string, ParamValue>,
    FieldCase,
  ])[] = [
    [
      'MaxPool2d 2×2',
      [6, 28, 28],
      'MaxPool2d',
      { kernel_size: 2 },
      { size: [2, 2], jump: [2, 2], start: [0.5, 0.5] },
    ],
    [
      'MaxPool2d k3 s2 p1',
      [8, 32, 32],
      'MaxPool2d',
      { kernel_size: 3, stride: 2, padding: 1 },
      { size: [3, 3], jump: [2, 2], start: [0, 0] },
    ],
    [
      'MaxPool2d dilation 2',
      [6, 16, 10],
      'MaxPool2d',
      { kernel_size: 3, stride: 1, padding: 1, dilation: 2 },
      { size: [5, 5], jump: [1, 1], start: [1, 1] },
    ],
    [
      'MaxPool2d rectangular',
      [4, 9, 12],
      'MaxPool2d',
      { kernel_size: [3, 2], stride: [1, 2] },
      { size: [3, 2], jump: [1, 2], start: [1, 0.5] },
    ],
    [
      'AvgPool2d k3 s2 p1 ceil_mode',
      [2, 6, 6],
      'AvgPool2d',
      { kernel_size: 3, stride: 2, padding: 1, ceil_mode: true },
      { size: [3, 3], jump: [2, 2], start: [0, 0] },
    ],
    [
      'global AdaptiveAvgPool2d 7→1',
      [512, 7, 7],
      'AdaptiveAvgPool2d',
      { output_size: 1 },
      { size: [7, 7], jump: [7, 7], start: [3, 3] },
    ],
    // windows [0,4), [3,7), [6,10): kernel 4, centres 1.5, 4.5, 7.5
    [
      'AdaptiveAvgPool2d 10→3',
      [3, 10, 10],
      'AdaptiveAvgPool2d',
      { output_size: 3 },
      { size: [4, 4], jump: [3, 3], start: [1.5, 1.5] },
    ],
    // H: [0,2), [1,4), [3,5) → kernel 3, centres 0.5, 2, 3.5; W: [0,3), [2,5), [5,8), [7,10) → centres 1 … 8
    [
      'AdaptiveMaxPool2d 5×10→3×4',
      [3, 5, 10],
      'AdaptiveMaxPool2d',
      { output_size: [3, 4] },
      { size: [3, 3], jump: [1.5, 7 / 3], start: [1, 1] },
    ],
    // windows [0,1), [0,2), [1,2), [1,3), [2,3): kernel 2, centres 0 … 2 over 4 steps
    [
      'AdaptiveAvgPool2d 3→5 overlaps',
      [3, 3, 3],
      'AdaptiveAvgPool2d',
      { output_size: 5 },
      { size: [2, 2], jump: [0.5, 0.5], start: [0.5, 0.5] },
    ],
  ];
  it.each(fields)('%s', (_name, input, type, params, field) => {
    expectField(runLayer(input, type, params), field);
  });
});

describe('pooling traces', () => {
  it('uses kernel_size as the stride when stride is null', () => {
    const n = runLayer([6, 28, 28], 'MaxPool2d', { kernel_size: 2 });
    expect(traceOf(n)).toEqual([
      'C_out = C_in = 6',
      'H_out = W_out = ⌊(28 + 2·0 − 1·(2−1) − 1)/2⌋ + 1 = 14',
      'RF = 1 + (2−1)·1 = 2',
      'jump = 1·2 = 2',
      'start = 0 + ((2−1)/2 − 0)·1 = 0.5',
    ]);
  });

  it('explains a ceil_mode window dropped because it starts in the padding', () => {
    const n = runLayer([1, 5, 5], 'MaxPool2d', {
      kernel_size: 2,
      stride: 2,
      padding: 1,
      ceil_mode: true,
    });
    expect(traceOf(n)).toContain(
      'H_out = W_out = ⌈(5 + 2·1 − 1·(2−1) − 1)/2⌉ + 1 − 1 (last window starts in the padding) = 3',
    );
  });

  it('explains the adaptive window of global pooling', () => {
    const n = runLayer([512, 7, 7], 'AdaptiveAvgPool2d', { output_size: 1 });
    expect(traceOf(n)).toEqual(
      expect.arrayContaining([
        'H_out = W_out = output_size = 1',
        'window = kernel = 7, stride = 7 (7/1)',
      ]),
    );
  });

  it('explains non-divisible and kept adaptive sizes per axis', () => {
    const n = runLayer([3, 8, 10], 'AdaptiveAvgPool2d', { output_size: [null, 3] });
    expect(traceOf(n)).toEqual(
      expect.arrayContaining([
        'H_out = H_in (output_size null) = 8',
        'W_out = output_size = 3',
        'window_h = kernel = 1, stride = 1 (8/8)',
        'window_w = kernel ≤ 4, stride ≈ 3 (output i pools input ⌊i·10/3⌋ to ⌈(i+1)·10/3⌉ − 1)',
      ]),
    );
  });
});

describe('pooling diagnostics', () => {
  it.each(['MaxPool2d', 'AvgPool2d'])(
    '%s: padding over half the kernel is refused with a fix',
    (type) => {
      // torch: "pad should be at most half of kernel size, but got pad=2 and kernel_size=3"
      const d = problemOf([1, 7, 7], type, { kernel_size: 3, padding: 2 });
      expect(d.code).toBe('invalid-value');
      expect(d.message).toBe(
        `${type} "layer": padding 2×2 is more than half of kernel_size 3×3; PyTorch allows at most 1×1 ` +
          '("pad should be at most half of kernel size"). Use a smaller padding or a larger kernel_size.',
      );
      expect(d.fix).toEqual({
        kind: 'set-param',
        description: 'Set padding to 1',
        node: 'layer',
        param: 'padding',
        value: 1,
      });
    },
  );

  it('compares padding with kernel_size, not the dilated extent (PyTorch rejects k3 p2 d2)', () => {
    const d = problemOf([1, 7, 7], 'MaxPool2d', { kernel_size: 3, padding: 2, dilation: 2 });
    expect(d.code).toBe('invalid-value');
  });

  it('gives a per-axis padding fix that leaves valid axes alone', () => {
    const d = problemOf([1, 9, 9], 'MaxPool2d', { kernel_size: [5, 2], padding: [0, 2] });
    expect(d.fix).toMatchObject({
      param: 'padding',
      value: [0, 1],
      description: 'Set padding to [0, 1]',
    });
  });

  it('reports a window larger than the input (torch: "Output size is too small")', () => {
    const d = problemOf([1, 2, 2], 'MaxPool2d', { kernel_size: 3 });
    expect(d.code).toBe('kernel-too-large');
    expect(d.message).toContain('the height window spans 3 pixels but the padded input is only 2');
  });

  it('counts dilation in the window that must fit', () => {
    const d = problemOf([1, 4, 4], 'MaxPool2d', { kernel_size: 3, dilation: 2 });
    expect(d.code).toBe('kernel-too-large');
    expect(d.message).toContain('spans 5 pixels');
  });

  it.each(['MaxPool2d', 'AvgPool2d', 'AdaptiveAvgPool2d', 'AdaptiveMaxPool2d'])(
    '%s refuses a flat input',
    (type) => {
      const params: Record<string, ParamValue> = type.startsWith('Adaptive')
        ? { output_size: 1 }
        : { kernel_size: 2 };
      const d = problemOf([120], type, params);
      expect(d.code).toBe('wrong-rank');
      expect(d.message).toContain('Spatial layers must come before Flatten');
    },
  );

  it('rejects divisor_override 0 (torch: "divisor must be not zero")', () => {
    expect(problemOf([2, 7, 7], 'AvgPool2d', { kernel_size: 3, divisor_override: 0 }).code).toBe(
      'invalid-param',
    );
  });

  it('rejects an adaptive output_size of 0', () => {
    expect(problemOf([2, 7, 7], 'AdaptiveAvgPool2d', { output_size: 0 }).code).toBe(
      'invalid-param',
    );
  });

  it('needs output_size for adaptive pools', () => {
    expect(problemOf([2, 7, 7], 'AdaptiveMaxPool2d').code).toBe('missing-param');
  });
});
