import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import type { ParamValue } from '../../src/core/graph/document.js';
import { chain, codes, nodeOf } from '../helpers.js';
import {
  expectCase,
  expectField,
  problemOf,
  runLayer,
  traceOf,
  type FieldCase,
  type LayerCase,
} from './layerCase.js';

// From PyTorch 1.13: output shape of m(torch.zeros(1, *input)), sum of p.numel(), and Linear
// MACs = in_features·out_features per row.
const cases: readonly LayerCase[] = [
  { type: 'Flatten', name: 'Flatten LeNet 16×5×5', input: [16, 5, 5], params: {}, shape: [400] },
  {
    type: 'Flatten',
    name: 'Flatten start_dim=2 keeps channels',
    input: [16, 5, 5],
    params: { start_dim: 2 },
    shape: [16, 25],
  },
  {
    type: 'Flatten',
    name: 'Flatten negative start_dim',
    input: [16, 5, 5],
    params: { start_dim: -2 },
    shape: [16, 25],
  },
  {
    type: 'Flatten',
    name: 'Flatten start_dim=1, end_dim=2',
    input: [16, 5, 7],
    params: { start_dim: 1, end_dim: 2 },
    shape: [80, 7],
  },
  {
    type: 'Flatten',
    name: 'Flatten end_dim=-2',
    input: [16, 5, 7],
    params: { end_dim: -2 },
    shape: [80, 7],
  },
  {
    type: 'Flatten',
    name: 'Flatten single dim is a no-op',
    input: [16, 5, 5],
    params: { start_dim: 2, end_dim: 2 },
    shape: [16, 5, 5],
  },
  { type: 'Flatten', name: 'Flatten of a flat vector', input: [400], params: {}, shape: [400] },
  {
    type: 'Linear',
    name: 'Linear LeNet fc1',
    input: [400],
    params: { out_features: 120 },
    shape: [120],
    weights: 48120,
    buffers: 0,
    macs: 48000,
  },
  {
    type: 'Linear',
    name: 'Linear without bias',
    input: [84],
    params: { out_features: 10, bias: false },
    shape: [10],
    weights: 840,
    buffers: 0,
    macs: 840,
  },
  {
    type: 'Linear',
    name: 'Linear on L×F applies to the last dim',
    input: [3, 5],
    params: { out_features: 7 },
    shape: [3, 7],
    weights: 42,
    buffers: 0,
    macs: 105,
  },
  {
    type: 'Upsample',
    name: 'Upsample nearest ×2',
    input: [3, 8, 8],
    params: { scale_factor: 2 },
    shape: [3, 16, 16],
  },
  {
    type: 'Upsample',
    name: 'Upsample ×1.5 floors',
    input: [8, 5, 7],
    params: { scale_factor: 1.5 },
    shape: [8, 7, 10],
  },
  {
    type: 'Upsample',
    name: 'Upsample per-axis scale, bilinear',
    input: [8, 7, 10],
    params: { scale_factor: [2, 0.5], mode: 'bilinear', align_corners: true },
    shape: [8, 14, 5],
  },
  {
    type: 'Upsample',
    name: 'Upsample 100·0.29 floors to 28',
    input: [1, 100, 10],
    params: { scale_factor: 0.29, mode: 'bicubic' },
    shape: [1, 28, 2],
  },
  {
    type: 'Upsample',
    name: 'Upsample to a size',
    input: [8, 14, 5],
    params: { size: [9, 4], mode: 'bicubic' },
    shape: [8, 9, 4],
  },
  {
    type: 'Upsample',
    name: 'Upsample size int, nearest-exact',
    input: [8, 9, 4],
    params: { size: 4, mode: 'nearest-exact' },
    shape: [8, 4, 4],
  },
  {
    type: 'PixelShuffle',
    name: 'PixelShuffle r=2',
    input: [8, 3, 4],
    params: { upscale_factor: 2 },
    shape: [2, 6, 8],
  },
  {
    type: 'PixelShuffle',
    name: 'PixelShuffle r=3',
    input: [27, 5, 5],
    params: { upscale_factor: 3 },
    shape: [3, 15, 15],
  },
  {
    type: 'ChannelShuffle',
    name: 'ChannelShuffle g=3 keeps the shape',
    input: [6, 5, 4],
    params: { groups: 3 },
    shape: [6, 5, 4],
  },
  {
    type: 'Slice',
    name: 'Slice of channels 1:5',
    input: [6, 5, 4],
    params: { start: 1, end: 5 },
    shape: [4, 5, 4],
  },
  {
    type: 'Slice',
    name: 'Slice of features',
    input: [12],
    params: { start: 3, end: 10 },
    shape: [7],
  },
  {
    type: 'ZeroPad2d',
    name: 'ZeroPad2d int',
    input: [3, 5, 5],
    params: { padding: 2 },
    shape: [3, 9, 9],
  },
  {
    type: 'ZeroPad2d',
    name: 'ZeroPad2d [left,right,top,bottom]',
    input: [1, 5, 5],
    params: { padding: [1, 2, 3, 4] },
    shape: [1, 12, 8],
  },
  {
    type: 'ZeroPad2d',
    name: 'ZeroPad2d negative crops',
    input: [1, 5, 5],
    params: { padding: [-1, -2, 0, 1] },
    shape: [1, 6, 2],
  },
  {
    type: 'ZeroPad2d',
    name: "ZeroPad2d 'same' for an even kernel",
    input: [3, 10, 10],
    params: { padding: [1, 2, 1, 2] },
    shape: [3, 13, 13],
  },
];

describe('Linear/Reshape layers match PyTorch', () => {
  it.each(cases)('$type: $name', (c) => {
    expectCase(c);
  });
});

describe('traces', () => {
  it.each([
    ['Flatten', [16, 5, 5], {}, ['F = 16·5·5 = 400']],
    ['Flatten', [16, 5, 5], { start_dim: 2 }, ['shape = 16×(5·5) = 16×25']],
    ['Flatten', [16, 5, 7], { end_dim: -2 }, ['shape = (16·5)×7 = 80×7']],
    [
      'Flatten',
      [16, 5, 5],
      { start_dim: 2, end_dim: 2 },
      ['shape = 16×5×5 (a single dim: nothing to merge)'],
    ],
    [
      'Linear',
      [400],
      { out_features: 120 },
      ['F_out = out_features = 120', 'params = 400·120 + 120 = 48,120', 'MACs = 400·120 = 48,000'],
    ],
    [
      'Linear',
      [84],
      { out_features: 10, bias: false },
      ['params = 84·10 = 840', 'MACs = 84·10 = 840'],
    ],
    [
      'Linear',
      [3, 5],
      { out_features: 7 },
      ['shape = 3×out_features = 3×7', 'params = 5·7 + 7 = 42', 'MACs = 3·5·7 = 105'],
    ],
    [
      'Upsample',
      [8, 5, 7],
      { scale_factor: 1.5 },
      ['C_out = C_in = 8', 'H_out = ⌊5·1.5⌋ = 7', 'W_out = ⌊7·1.5⌋ = 10'],
    ],
    [
      'Upsample',
      [1, 100, 10],
      { scale_factor: 0.29 },
      ['H_out = ⌊100·0.29⌋ = 28', 'W_out = ⌊10·0.29⌋ = 2'],
    ],
    ['Upsample', [8, 9, 4], { size: 4 }, ['H_out = W_out = size = 4']],
    [
      'PixelShuffle',
      [8, 3, 4],
      { upscale_factor: 2 },
      ['C_out = 8/2² = 2', 'H_out = 3·2 = 6', 'W_out = 4·2 = 8'],
    ],
    [
      'ZeroPad2d',
      [1, 5, 5],
      { padding: [1, 2, 3, 4] },
      ['H_out = 5 + 3 + 4 = 12', 'W_out = 5 + 1 + 2 = 8'],
    ],
    [
      'ZeroPad2d',
      [1, 5, 5],
      { padding: [-1, -2, 0, 1] },
      ['H_out = 5 + 0 + 1 = 6', 'W_out = 5 − 1 − 2 = 2'],
    ],
    ['ZeroPad2d', [3, 5, 5], { padding: 2 }, ['H_out = W_out = 5 + 2 + 2 = 9']],
  ] as const)('%s on %j with %j', (type, input, params, lines) => {
    expect(traceOf(runLayer(input, type, params))).toEqual(expect.arrayContaining([...lines]));
  });
});

describe('receptive fields', () => {
  const fields: readonly (readonly [
    string,
    readonly number[],
    string,
    Record<string, ParamValue>,
    FieldCase,
  ])[] = [
    [
      'Upsample ×2 nearest',
      [3, 8, 8],
      'Upsample',
      { scale_factor: 2 },
      { size: [1, 1], jump: [0.5, 0.5], start: [0, 0] },
    ],
    [
      'Upsample ×2 bilinear',
      [3, 8, 8],
      'Upsample',
      { scale_factor: 2, mode: 'bilinear' },
      { size: [2, 2], jump: [0.5, 0.5], start: [0, 0] },
    ],
    [
      'Upsample ×2 bicubic',
      [3, 8, 8],
      'Upsample',
      { scale_factor: 2, mode: 'bicubic' },
      { size: [4, 4], jump: [0.5, 0.5], start: [0, 0] },
    ],
    // PyTorch maps output i to input i/scale_factor when scale_factor is given
    [
      'Upsample ×1.5 (5 → 7)',
      [3, 5, 5],
      'Upsample',
      { scale_factor: 1.5 },
      { size: [1, 1], jump: [2 / 3, 2 / 3], start: [0, 0] },
    ],
    [
      'Upsample to size 16×4',
      [3, 8, 8],
      'Upsample',
      { size: [16, 4] },
      { size: [1, 1], jump: [0.5, 2], start: [0, 0] },
    ],
    [
      'PixelShuffle r=2',
      [8, 3, 4],
      'PixelShuffle',
      { upscale_factor: 2 },
      { size: [1, 1], jump: [0.5, 0.5], start: [0, 0] },
    ],
    [
      'ZeroPad2d shifts the start',
      [1, 5, 5],
      'ZeroPad2d',
      { padding: [1, 2, 3, 4] },
      { size: [1, 1], jump: [1, 1], start: [-3, -1] },
    ],
    [
      'Flatten on one dim keeps the field',
      [16, 5, 5],
      'Flatten',
      { start_dim: 3 },
      { size: [1, 1], jump: [1, 1], start: [0, 0] },
    ],
  ];
  it.each(fields)('%s', (_name, input, type, params, field) => {
    expectField(runLayer(input, type, params), field);
  });

  it('Flatten ends the spatial field', () => {
    expect(runLayer([16, 5, 5], 'Flatten').receptiveField).toBeNull();
    expect(runLayer([16, 5, 5], 'Flatten', { start_dim: 2 }).receptiveField).toBeNull();
  });

  it('ZeroPad2d [1, 2, 1, 2] + Conv2d k4 equals Conv2d k4 padding "same"', () => {
    const padded = analyze(
      chain(
        [3, 10, 10],
        ['pad', 'ZeroPad2d', { padding: [1, 2, 1, 2] }],
        ['conv', 'Conv2d', { out_channels: 4, kernel_size: 4 }],
      ),
    );
    const same = runLayer([3, 10, 10], 'Conv2d', {
      out_channels: 4,
      kernel_size: 4,
      padding: 'same',
    });
    const conv = nodeOf(padded, 'conv');
    expect(conv.outputShape).toEqual(same.outputShape);
    expect(conv.receptiveField).toEqual(same.receptiveField);
  });
});

describe('Linear diagnostics', () => {
  it('after a conv it asks for Flatten and offers to insert it', () => {
    const a = analyze(
      chain(
        [1, 28, 28],
        ['conv', 'Conv2d', { out_channels: 16, kernel_size: 5, stride: 5 }],
        ['fc1', 'Linear', { out_features: 120 }],
      ),
    );
    expect(a.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'needs-flatten',
        node: 'fc1',
        message:
          'Linear "fc1" expects a flat input but receives 16×5×5 — insert Flatten before it.',
        fix: {
          kind: 'insert-node',
          description: 'Insert Flatten before it',
          source: 'conv',
          target: 'fc1',
          targetPort: 0,
          nodeType: 'Flatten',
          params: {},
        },
      },
    ]);
  });

  it('accepts a matching in_features from a pasted file', () => {
    expect(runLayer([400], 'Linear', { in_features: 400, out_features: 120 }).diagnostics).toEqual(
      [],
    );
  });

  it('reports in_features that disagree (torch: "mat1 and mat2 shapes cannot be multiplied")', () => {
    const d = problemOf([6], 'Linear', { in_features: 5, out_features: 7 });
    expect(d.code).toBe('invalid-param');
    expect(d.message).toContain('in_features is 5 in the file, but the incoming tensor 6 gives 6');
  });

  it('needs out_features', () => {
    expect(problemOf([6], 'Linear').code).toBe('missing-param');
  });
});

describe('Flatten diagnostics', () => {
  it('refuses to flatten the batch axis', () => {
    const d = problemOf([16, 5, 5], 'Flatten', { start_dim: 0 });
    expect(d.code).toBe('invalid-value');
    expect(d.message).toBe(
      'Flatten "layer": start_dim=0 is the batch axis (dims count it, as in PyTorch), which would mix ' +
        'the samples of a batch. Use start_dim=1 (axis C of a sample of shape 16×5×5).',
    );
    expect(d.fix).toEqual({
      kind: 'set-param',
      description: 'Set start_dim to 1',
      node: 'layer',
      param: 'start_dim',
      value: 1,
    });
  });

  it('refuses end_dim=0 with a fix to −1', () => {
    expect(problemOf([16, 5, 5], 'Flatten', { end_dim: 0 }).fix).toMatchObject({
      param: 'end_dim',
      value: -1,
    });
  });

  it('refuses start_dim after end_dim (torch: "start_dim cannot come after end_dim")', () => {
    const d = problemOf([16, 5, 5], 'Flatten', { start_dim: 3, end_dim: 2 });
    expect(d.code).toBe('invalid-value');
    expect(d.message).toContain('start_dim=3 comes after end_dim=2');
  });

  it('refuses dims out of range (torch: "expected to be in range of [-4, 3], but got 5")', () => {
    const d = problemOf([16, 5, 5], 'Flatten', { start_dim: 1, end_dim: 5 });
    expect(d.message).toContain('end_dim=5 is out of range. A sample of shape 16×5×5 has 4 dims');
    expect(d.message).toContain('end_dim must be from -4 to 3');
  });
});

describe('Upsample diagnostics', () => {
  it('needs size or scale_factor (torch: "either size or scale_factor should be defined")', () => {
    const d = problemOf([3, 8, 8], 'Upsample');
    expect(d.code).toBe('missing-param');
    expect(d.fix).toMatchObject({ kind: 'set-param', param: 'scale_factor', value: 2 });
  });

  it('takes only one of them (torch: "only one of size or scale_factor should be defined")', () => {
    const d = problemOf([3, 8, 8], 'Upsample', { size: 4, scale_factor: 2 });
    expect(d.code).toBe('invalid-value');
    expect(d.message).toContain('has both size 4×4 and scale_factor 2×2');
    expect(d.fix).toMatchObject({ param: 'scale_factor', value: null });
  });

  it.each(['nearest', 'nearest-exact'])('refuses align_corners with mode %s', (mode) => {
    // torch: "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear"
    const d = problemOf([3, 8, 8], 'Upsample', { scale_factor: 2, mode, align_corners: false });
    expect(d.code).toBe('invalid-value');
    expect(d.fix).toMatchObject({ param: 'align_corners', value: null });
  });

  it('reports a scale that leaves no pixels (torch: "output (H: 0, W: 0)")', () => {
    expect(problemOf([3, 10, 10], 'Upsample', { scale_factor: 0.05 }).code).toBe(
      'non-positive-output',
    );
  });

  it.each([
    [{ scale_factor: 0 }, 'scale_factor'],
    [{ size: [4, 0] }, 'size'],
    [{ scale_factor: 2, mode: 'trilinear' }, 'mode'],
  ] as const)('rejects %j', (params, name) => {
    const d = problemOf([3, 8, 8], 'Upsample', params);
    expect(d.code).toBe('invalid-param');
    expect(d.message).toContain(`"${name}" must be`);
  });

  it('needs a feature map', () => {
    expect(problemOf([10], 'Upsample', { scale_factor: 2 }).code).toBe('wrong-rank');
  });
});

describe('PixelShuffle and ZeroPad2d diagnostics', () => {
  it('PixelShuffle needs channels divisible by r² (torch: "input.size(-3)=6 is not divisible by 4")', () => {
    const d = problemOf([6, 8, 8], 'PixelShuffle', { upscale_factor: 2 });
    expect(d.code).toBe('invalid-value');
    expect(d.message).toBe(
      'PixelShuffle "layer": 6 channels are not divisible by upscale_factor² = 2² = 4 (each 2×2 output ' +
        'block takes 4 channels). Make the layer before it output a multiple of 4 channels, e.g. 8.',
    );
  });

  it('ZeroPad2d may not crop everything', () => {
    const d = problemOf([6, 8, 8], 'ZeroPad2d', { padding: [-4, -4, 0, 0] });
    expect(d.code).toBe('non-positive-output');
    expect(d.message).toContain('crops the 8×8 input to 8×0');
  });

  it('ZeroPad2d takes an int or four values', () => {
    expect(problemOf([6, 8, 8], 'ZeroPad2d', { padding: [1, 2, 3] }).code).toBe('invalid-param');
  });

  it.each(['PixelShuffle', 'ZeroPad2d'])('%s needs a feature map', (type) => {
    const params: Record<string, ParamValue> =
      type === 'PixelShuffle' ? { upscale_factor: 2 } : { padding: 1 };
    const a = analyze(chain([4, 4], ['layer', type, params]));
    expect(codes(a)).toEqual(['wrong-rank']);
  });
});

describe('ChannelShuffle and Slice', () => {
  it('ChannelShuffle needs groups dividing the channels, and offers the nearest divisor', () => {
    const d = problemOf([6, 5, 4], 'ChannelShuffle', { groups: 4 });
    expect(d.message).toMatch(/6 channels cannot be split into groups=4 equal groups .* e\.g\. 3/);
    expect(d.fix).toMatchObject({ kind: 'set-param', param: 'groups', value: 3 });
    expect(problemOf([12], 'ChannelShuffle', { groups: 2 }).code).toBe('wrong-rank');
  });

  it('Slice must keep at least one channel inside its input', () => {
    const past = problemOf([6, 5, 4], 'Slice', { start: 2, end: 9 });
    expect(past.message).toMatch(/end=9 is past the 6 channels of its 6×5×4 input/);
    expect(past.fix).toMatchObject({ param: 'end', value: 6 });
    const empty = problemOf([6, 5, 4], 'Slice', { start: 4, end: 4 });
    expect(empty.message).toMatch(/start=4 is not before end=4, so it would keep no channels/);
    expect(problemOf([3, 4], 'Slice', { start: 0, end: 1 }).code).toBe('wrong-rank');
  });
});
