import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import { chain, nodeOf } from '../helpers.js';
import {
  expectCase,
  expectField,
  problemOf,
  runLayer,
  traceOf,
  type LayerCase,
} from './layerCase.js';

// From PyTorch 1.13: weights = sum(p.numel() for p in m.parameters()), buffers = sum of
// b.numel() (running_mean, running_var and the one-element num_batches_tracked).
const cases: readonly LayerCase[] = [
  {
    type: 'LayerNorm2d',
    name: 'LayerNorm2d (torchvision) on a 96-channel map: weight and bias, no buffers',
    input: [96, 14, 14],
    params: { eps: 1e-6 },
    shape: [96, 14, 14],
    weights: 192,
    buffers: 0,
    macs: 0,
  },
  {
    type: 'LayerNorm2d',
    name: 'LayerNorm2d elementwise_affine=false has nothing to learn',
    input: [8, 3, 3],
    params: { elementwise_affine: false },
    shape: [8, 3, 3],
    weights: 0,
    buffers: 0,
    macs: 0,
  },
  {
    type: 'BatchNorm2d',
    name: 'BatchNorm2d after a 64-channel conv',
    input: [64, 28, 28],
    params: {},
    shape: [64, 28, 28],
    weights: 128,
    buffers: 129,
    macs: 0,
  },
  {
    type: 'BatchNorm2d',
    name: 'BatchNorm2d momentum null (cumulative average)',
    input: [8, 4, 4],
    params: { momentum: null, eps: 0.001 },
    shape: [8, 4, 4],
    weights: 16,
    buffers: 17,
    macs: 0,
  },
  {
    type: 'BatchNorm2d',
    name: 'BatchNorm2d affine=false keeps only buffers',
    input: [16, 5, 5],
    params: { affine: false },
    shape: [16, 5, 5],
    weights: 0,
    buffers: 33,
    macs: 0,
  },
  {
    type: 'BatchNorm2d',
    name: 'BatchNorm2d track_running_stats=false keeps only weights',
    input: [16, 5, 5],
    params: { track_running_stats: false },
    shape: [16, 5, 5],
    weights: 32,
    buffers: 0,
    macs: 0,
  },
  {
    type: 'BatchNorm2d',
    name: 'BatchNorm2d neither',
    input: [16, 5, 5],
    params: { affine: false, track_running_stats: false },
    shape: [16, 5, 5],
  },
  {
    type: 'BatchNorm1d',
    name: 'BatchNorm1d on features',
    input: [84],
    params: {},
    shape: [84],
    weights: 168,
    buffers: 169,
    macs: 0,
  },
  {
    type: 'BatchNorm1d',
    name: 'BatchNorm1d on C×L',
    input: [12, 50],
    params: {},
    shape: [12, 50],
    weights: 24,
    buffers: 25,
    macs: 0,
  },
];

describe('batch norm matches PyTorch', () => {
  it.each(cases)('$type: $name', (c) => {
    expectCase(c);
  });
});

describe('batch norm counts and traces', () => {
  it('traces weight/bias and the running statistics', () => {
    const n = runLayer([64, 28, 28], 'BatchNorm2d');
    expect(traceOf(n)).toEqual([
      'shape = 64×28×28 (as its input)',
      'params = 2·64 (weight, bias) = 128',
      'buffers = 2·64 + 1 = 129',
      'buffer bytes = 2·64·4 + 8 (float32 stats, int64 counter) = 520',
      'RF = 1 (as its input)',
    ]);
    // 128 float32 weights + 64·4·2 bytes of statistics + the int64 num_batches_tracked
    expect(n.paramBytes).toBe(128 * 4 + 520);
  });

  it('says so when there is nothing to learn or track', () => {
    const n = runLayer([16, 5, 5], 'BatchNorm2d', { affine: false, track_running_stats: false });
    expect(traceOf(n)).toEqual([
      'shape = 16×5×5 (as its input)',
      'params = 0 (affine=false)',
      'buffers = 0 (track_running_stats=false)',
      'RF = 1 (as its input)',
    ]);
    expect(n.paramBytes).toBe(0);
  });

  it('keeps the receptive field of its input', () => {
    const a = analyze(
      chain(
        [3, 32, 32],
        ['conv', 'Conv2d', { out_channels: 8, kernel_size: 3 }],
        ['bn', 'BatchNorm2d', {}],
      ),
    );
    expectField(nodeOf(a, 'bn'), { size: [3, 3], jump: [1, 1], start: [1, 1] });
  });

  it('counts frozen batch norm weights as non-trainable', () => {
    const doc = chain([8, 4, 4], ['bn', 'BatchNorm2d', {}]);
    const frozen = {
      ...doc,
      nodes: doc.nodes.map((n) => (n.id === 'bn' ? { ...n, trainable: false } : n)),
    };
    const bn = nodeOf(analyze(frozen), 'bn');
    expect([bn.params, bn.trainableParams, bn.buffers]).toEqual([16, 0, 17]);
  });
});

describe('batch norm diagnostics', () => {
  it('BatchNorm2d on a flat vector points to BatchNorm1d', () => {
    // torch: "expected 4D input (got 2D input)"
    const d = problemOf([400], 'BatchNorm2d');
    expect(d.code).toBe('wrong-rank');
    expect(d.message).toBe(
      'BatchNorm2d "layer" expects a C×H×W feature map but receives 400. Use BatchNorm1d for flat (F) or sequence (C×L) inputs.',
    );
  });

  it('BatchNorm1d on a feature map points to BatchNorm2d', () => {
    // torch: "expected 2D or 3D input (got 4D input)"
    const d = problemOf([16, 5, 5], 'BatchNorm1d');
    expect(d.code).toBe('wrong-rank');
    expect(d.message).toContain(
      'Use BatchNorm2d for C×H×W feature maps, or put Flatten before it.',
    );
  });

  it('accepts num_features when it matches the input', () => {
    expect(runLayer([4, 5, 5], 'BatchNorm2d', { num_features: 4 }).diagnostics).toEqual([]);
  });

  it('reports num_features that disagrees (torch: "running_mean should contain 4 elements not 5")', () => {
    const d = problemOf([4, 5, 5], 'BatchNorm2d', { num_features: 5 });
    expect(d.code).toBe('invalid-param');
    expect(d.message).toContain(
      'num_features is 5 in the file, but the incoming tensor 4×5×5 gives 4',
    );
  });

  it.each([1.5, -0.1, 'fast'])('rejects momentum %s', (momentum) => {
    const d = problemOf([4, 5, 5], 'BatchNorm2d', { momentum });
    expect(d.code).toBe('invalid-param');
    expect(d.message).toContain('"momentum" must be null or a number from 0 to 1');
  });

  it('LayerNorm2d needs a C×H×W map', () => {
    const d = problemOf([16], 'LayerNorm2d');
    expect(d.code).toBe('wrong-rank');
    expect(d.message).toMatch(
      /LayerNorm2d "\w+" expects a C×H×W feature map but receives a flat vector/,
    );
  });
});
