import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import type { ParamValue } from '../../src/core/graph/document.js';
import { chain, nodeOf } from '../helpers.js';
import { expectCase, expectField, problemOf, runLayer, traceOf } from './layerCase.js';

const ELEMENTWISE: readonly (readonly [string, Record<string, ParamValue>])[] = [
  ['ReLU', { inplace: true }],
  ['ReLU6', { inplace: true }],
  ['LeakyReLU', { negative_slope: 0.2, inplace: true }],
  ['ELU', { alpha: 0.5, inplace: true }],
  ['GELU', { approximate: 'tanh' }],
  ['SiLU', { inplace: true }],
  ['Hardswish', { inplace: true }],
  ['Hardsigmoid', { inplace: true }],
  ['Sigmoid', {}],
  ['Tanh', {}],
  ['Softmax', { dim: -1 }],
  ['LogSoftmax', { dim: 1 }],
  ['Dropout', { p: 0.2, inplace: true }],
  ['Dropout2d', { p: 0.1, inplace: true }],
  ['Identity', {}],
];
const INPUTS: readonly (readonly number[])[] = [[10], [3, 8, 8]];

describe('shape-preserving layers keep any input as it is, with no parameters or MACs', () => {
  const rows = ELEMENTWISE.flatMap(([type, params]) =>
    INPUTS.map((input) => ({
      type,
      name: `${input.join('×')} with ${JSON.stringify(params)}`,
      input,
      params,
      shape: input,
    })),
  )
    // Dropout2d warns on non-feature-maps: see below.
    .filter((c) => c.type !== 'Dropout2d' || c.input.length === 3);
  it.each(rows)('$type: $name', (c) => {
    const n = expectCase(c);
    expect(traceOf(n)[0]).toBe(`shape = ${c.input.join('×')} (as its input)`);
  });

  it.each(ELEMENTWISE.map(([type]) => type))('%s uses the PyTorch defaults', (type) => {
    expect(runLayer([4, 6], type).outputShape).toEqual([4, 6]);
  });

  it.each(ELEMENTWISE.map(([type]) => type))(
    '%s keeps the receptive field of its input',
    (type) => {
      const a = analyze(
        chain(
          [3, 16, 16],
          ['conv', 'Conv2d', { out_channels: 4, kernel_size: 5 }],
          ['act', type, {}],
        ),
      );
      expectField(nodeOf(a, 'act'), { size: [5, 5], jump: [1, 1], start: [2, 2] });
      expect(traceOf(nodeOf(a, 'act'))).toContain('RF = 5 (as its input)');
    },
  );
});

describe('inplace is accepted exactly where torch.nn accepts it', () => {
  it.each([
    'ReLU',
    'ReLU6',
    'LeakyReLU',
    'ELU',
    'SiLU',
    'Hardswish',
    'Hardsigmoid',
    'Dropout',
    'Dropout2d',
  ])('%s(inplace=True)', (type) => {
    expect(runLayer([3, 8, 8], type, { inplace: true }).diagnostics).toEqual([]);
  });

  // torch: "GELU.__init__() got an unexpected keyword argument 'inplace'"
  it.each(['GELU', 'Sigmoid', 'Tanh', 'Softmax', 'LogSoftmax'])('%s has no inplace', (type) => {
    const d = problemOf([3, 8, 8], type, { inplace: true });
    expect(d.code).toBe('unknown-param');
    expect(d.message).toContain(`${type} "layer" has no parameter "inplace"`);
  });
});

describe('parameter limits', () => {
  it.each([
    ['Dropout', { p: 1.5 }, '"p" must be a number ≥ 0 and ≤ 1, got 1.5'],
    ['Dropout', { p: -0.1 }, '"p" must be a number ≥ 0 and ≤ 1'],
    ['Dropout2d', { p: 2 }, '"p" must be a number ≥ 0 and ≤ 1'],
    ['GELU', { approximate: 'fast' }, '"approximate" must be one of "none", "tanh"'],
    ['LeakyReLU', { negative_slope: 'small' }, '"negative_slope" must be a number'],
    ['Softmax', { dim: 1.5 }, '"dim" must be an integer'],
  ] as const)('%s %j', (type, params, text) => {
    const d = problemOf([10], type, params);
    expect(d.code).toBe('invalid-param');
    expect(d.message).toContain(text);
  });

  it.each([0, 1])('Dropout accepts p=%d', (p) => {
    expect(runLayer([10], 'Dropout', { p }).diagnostics).toEqual([]);
  });
});

describe('Softmax and LogSoftmax dims count the batch axis, like PyTorch', () => {
  it.each([
    ['F, dim=1', [10], 1],
    ['F, dim=-1', [10], -1],
    ['C×H×W, dim=1 (channels)', [3, 8, 8], 1],
    ['C×H×W, dim=-3 (channels)', [3, 8, 8], -3],
    ['C×H×W, dim=3 (width)', [3, 8, 8], 3],
    ['L×F, dim=2', [4, 6], 2],
  ] as const)('accepts %s', (_name, input, dim) => {
    for (const type of ['Softmax', 'LogSoftmax']) {
      expect(runLayer(input, type, { dim }).diagnostics).toEqual([]);
    }
  });

  it.each([
    // torch: "Dimension out of range (expected to be in range of [-2, 1], but got 2)"
    [[10], 2, -2, 1],
    [[10], -3, -2, 1],
    [[3, 8, 8], 4, -4, 3],
    [[3, 8, 8], -5, -4, 3],
  ] as const)('on %j rejects dim=%d (range %d…%d)', (input, dim, low, high) => {
    const d = problemOf(input, 'Softmax', { dim });
    expect(d.code).toBe('invalid-value');
    expect(d.message).toContain(`dim=${dim} is out of range`);
    expect(d.message).toContain(`dim must be from ${low} to ${high}`);
    expect(d.fix).toEqual({
      kind: 'set-param',
      description: 'Set dim to 1',
      node: 'layer',
      param: 'dim',
      value: 1,
    });
  });

  it.each([0, -2])('refuses dim=%d on an F input: it is the batch axis', (dim) => {
    const d = problemOf([10], 'LogSoftmax', { dim });
    expect(d.code).toBe('invalid-value');
    expect(d.message).toBe(
      `LogSoftmax "layer": dim=${dim} is the batch axis (dims count it, as in PyTorch), which would mix ` +
        'the samples of a batch. Use dim=1 (axis F of a sample of shape 10).',
    );
    expect(d.fix).toMatchObject({ kind: 'set-param', param: 'dim', value: 1 });
  });
});

describe('Dropout2d on inputs that are not feature maps', () => {
  it('warns like PyTorch for C×L and still passes the shape on', () => {
    const n = runLayer([6, 8], 'Dropout2d');
    expect(n.outputShape).toEqual([6, 8]);
    expect(n.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'wrong-rank',
        node: 'layer',
        message:
          'Dropout2d "layer" expects a C×H×W feature map but receives 6×8. PyTorch warns that it treats ' +
          'this as C×L (channel-wise 1D dropout) and will change that in a future release; use Dropout here instead.',
      },
    ]);
  });

  it('warns that flat inputs are deprecated', () => {
    const n = runLayer([10], 'Dropout2d');
    expect(n.outputShape).toEqual([10]);
    expect(n.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'wrong-rank']]);
    expect(n.diagnostics[0]?.message).toContain(
      'deprecated and will become an error; use Dropout instead',
    );
  });
});
