// The importer without PyTorch: NN Builder's own ONNX exports read back, and small graphs written
// with the exporter's encoder (onnx-proto) for the folds, fusions and refusals one at a time.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { initialStateDict } from '../../src/core/weights/initialStateDict.js';
import { exportOnnx } from '../../src/export/onnx/exportOnnx.js';
import {
  encodeModel,
  type OnnxGraph,
  type OnnxNode,
  type OnnxTensor,
} from '../../src/export/onnx/onnxModel.js';
import {
  OnnxFormatError,
  UnsupportedModelError,
  unsupportedTable,
} from '../../src/import/onnx/importErrors.js';
import { importOnnx } from '../../src/import/onnx/importOnnx.js';
import { templateGraphs } from './templateGraphs.js';

/** The newer layer types in one graph: LayerNorm2d, Slice, ChannelShuffle, a SqueezeExcitation block. */
const MODERN: GraphDocument = {
  format: 'nnb-graph',
  version: 1,
  nodes: [
    { id: 'x', type: 'Input', params: { shape: [3, 12, 12] } },
    { id: 'stem', type: 'Conv2d', params: { out_channels: 8, kernel_size: 3, padding: 1 } },
    { id: 'ln', type: 'LayerNorm2d', params: { eps: 1e-6 } },
    { id: 'left', type: 'Slice', params: { start: 0, end: 4 } },
    { id: 'right', type: 'Slice', params: { start: 4, end: 8 } },
    {
      id: 'dw',
      type: 'Conv2d',
      params: { out_channels: 4, kernel_size: 3, padding: 1, groups: 4 },
    },
    { id: 'cat', type: 'Concat' },
    { id: 'shuffle', type: 'ChannelShuffle', params: { groups: 2 } },
    { id: 'se', type: 'SqueezeExcitation', params: { squeeze_channels: 2, activation: 'SiLU' } },
    { id: 'plain', type: 'LayerNorm2d', params: { elementwise_affine: false } },
  ],
  edges: [
    { source: 'x', target: 'stem' },
    { source: 'stem', target: 'ln' },
    { source: 'ln', target: 'left' },
    { source: 'ln', target: 'right' },
    { source: 'right', target: 'dw' },
    { source: 'left', target: 'cat', targetPort: 0 },
    { source: 'dw', target: 'cat', targetPort: 1 },
    { source: 'cat', target: 'shuffle' },
    { source: 'shuffle', target: 'se' },
    { source: 'se', target: 'plain' },
  ],
};

/** Templates small enough to draw initial weights for quickly (VGG-16 and AlexNet are not). */
const TEMPLATES: (readonly [string, GraphDocument])[] = [
  ...templateGraphs().filter(([, graph]) => analyze(graph).totals.params < 20e6),
  ['LayerNorm2d, Slice, ChannelShuffle and SqueezeExcitation', MODERN],
];

const floats = (name: string, dims: number[], values?: number[]): OnnxTensor => {
  const count = dims.reduce((a, b) => a * b, 1);
  return {
    name,
    dims,
    dataType: 'float',
    data: Float32Array.from(values ?? Array.from({ length: count }, (_, i) => (i % 7) - 3)),
  };
};
const ints = (name: string, values: number[]): OnnxTensor => ({
  name,
  dims: [values.length],
  dataType: 'int64',
  data: BigInt64Array.from(values.map(BigInt)),
});
const node = (opType: string, inputs: string[], output: string, attributes = {}): OnnxNode => ({
  opType,
  name: `/${output}/${opType}`,
  inputs,
  outputs: [output],
  attributes,
});

/** An ONNX file from nodes and initializers: input `x` and output of these shapes after a batch. */
function model(
  nodes: OnnxNode[],
  initializers: OnnxTensor[],
  shape: (number | string)[],
  output: string,
  outputShape: number[],
): Uint8Array {
  const graph: OnnxGraph = {
    name: 'test',
    nodes,
    initializers,
    inputs: [{ name: 'x', dims: ['batch', ...shape] }],
    outputs: [{ name: output, dims: ['batch', ...outputShape] }],
  };
  return encodeModel(graph, 'test', '');
}

const types = (graph: GraphDocument) => graph.nodes.map((n) => `${n.id}:${n.type}`);

function refusal(bytes: Uint8Array): UnsupportedModelError {
  try {
    importOnnx(bytes, { name: 'test' });
  } catch (error) {
    if (error instanceof UnsupportedModelError) return error;
    throw error;
  }
  throw new Error('the import succeeded');
}

describe('importOnnx', () => {
  it.each(TEMPLATES)(
    '%s exported by NN Builder imports back with the same totals and weights',
    (_, graph) => {
      const analysis = analyze(graph);
      const state = initialStateDict(analysis, 5);
      const imported = importOnnx(exportOnnx(graph, state), { name: 'again' });
      const again = analyze(imported.graph);
      expect(again.hasErrors).toBe(false);
      expect(again.totals.params).toBe(analysis.totals.params);
      expect(again.totals.buffers).toBe(analysis.totals.buffers);
      expect(again.totals.macs).toBe(analysis.totals.macs);
      const shapeOf = (a: typeof analysis) => a.nodes.get(a.outputs[0] ?? '')?.outputShape;
      expect(shapeOf(again)).toEqual(shapeOf(analysis));
      // Ids are the exported node names (a block's `/` becomes `_`), so every tensor is found.
      for (const [key, tensor] of state) {
        const dot = key.lastIndexOf('.');
        // A SqueezeExcitation is folded back into its block (same keys); other blocks' layers
        // come back as layers of their own.
        const ours =
          imported.state.get(key) ??
          imported.state.get(`${key.slice(0, dot).replace(/\//g, '_')}${key.slice(dot)}`);
        expect(ours?.shape, key).toEqual(tensor.shape);
        expect(Array.from(ours?.data ?? []), key).toEqual(Array.from(tensor.data));
      }
      expect(imported.state.size).toBe(state.size);
      // An import exported and imported again is the same document.
      const twice = importOnnx(exportOnnx(imported.graph, imported.state), { name: 'again' });
      expect(twice.graph).toEqual(imported.graph);
    },
  );

  it('folds x.view(x.size(0), -1) (Shape → Gather → Unsqueeze → Concat → Reshape) into Flatten', () => {
    const bytes = model(
      [
        node('Relu', ['x'], 'relu'),
        node('Shape', ['relu'], 'shape'),
        node('Gather', ['shape', 'zero'], 'batch', { axis: { kind: 'int', value: 0 } }),
        node('Unsqueeze', ['batch', 'axes'], 'batch1'),
        node('Concat', ['batch1', 'minus1'], 'target', { axis: { kind: 'int', value: 0 } }),
        node('Reshape', ['relu', 'target'], 'flat'),
        node('Gemm', ['flat', 'fc.weight', 'fc.bias'], 'y', { transB: { kind: 'int', value: 1 } }),
      ],
      [
        { ...ints('zero', [0]), dims: [] },
        ints('axes', [0]),
        ints('minus1', [-1]),
        floats('fc.weight', [4, 18]),
        floats('fc.bias', [4]),
      ],
      [2, 3, 3],
      'y',
      [4],
    );
    const { graph } = importOnnx(bytes, { name: 'view' });
    expect(types(graph)).toEqual(['x:Input', 'relu:ReLU', 'flat.reshape:Flatten', 'y:Linear']);
  });

  it('reads MatMul by a constant and the Add after it as one Linear with its bias', () => {
    const w = [1, 2, 3, 4, 5, 6]; // [in 3, out 2]
    const bytes = model(
      [node('MatMul', ['x', 'w'], 'mm'), node('Add', ['mm', 'b'], 'y')],
      [floats('w', [3, 2], w), floats('b', [2], [10, 20])],
      [3],
      'y',
      [2],
    );
    const { graph, state } = importOnnx(bytes, { name: 'mm' });
    expect(graph.nodes[1]).toEqual({ id: 'mm', type: 'Linear', params: { out_features: 2 } });
    expect(Array.from(state.get('mm.weight')?.data ?? [])).toEqual([1, 3, 5, 2, 4, 6]);
    expect(Array.from(state.get('mm.bias')?.data ?? [])).toEqual([10, 20]);
  });

  it('takes a symmetric zero Pad into the Conv; an asymmetric one before MaxPool is a ZeroPad2d', () => {
    const bytes = model(
      [
        node('Pad', ['x', 'p1'], 'pad1'),
        node('Conv', ['pad1', 'w'], 'conv', { kernel_shape: { kind: 'ints', value: [3, 3] } }),
        node('Pad', ['conv', 'p2'], 'pad2'),
        node('MaxPool', ['pad2'], 'y', {
          kernel_shape: { kind: 'ints', value: [2, 2] },
          strides: { kind: 'ints', value: [2, 2] },
        }),
      ],
      [
        ints('p1', [0, 0, 1, 1, 0, 0, 1, 1]),
        floats('w', [4, 2, 3, 3]),
        ints('p2', [0, 0, 1, 0, 0, 0, 0, 2]),
      ],
      [2, 8, 8],
      'y',
      [4, 4, 5],
    );
    const { graph } = importOnnx(bytes, { name: 'pads' });
    expect(graph.nodes.slice(1).map((n) => [n.type, n.params])).toEqual([
      ['Conv2d', { out_channels: 4, kernel_size: 3, padding: 1, bias: false }],
      ['ZeroPad2d', { padding: [0, 2, 1, 0] }],
      ['MaxPool2d', { kernel_size: 2, stride: 2 }],
    ]);
    expect(analyze(graph).nodes.get('y')?.outputShape).toEqual([4, 4, 5]);
  });

  it('lists every operator it cannot express, with counts and the first node names', () => {
    const resize = (i: number, from: string) => node('Resize', [from, '', 'scales'], `up${i}`);
    const bytes = model(
      [
        node('Relu', ['x'], 'relu'),
        resize(1, 'relu'),
        resize(2, 'up1'),
        resize(3, 'up2'),
        resize(4, 'up3'),
        node('Mul', ['up4', 'scales'], 'scaled'),
        node('LpPool', ['scaled'], 'y'),
      ],
      [floats('scales', [4], [1, 1, 2, 2])],
      [1, 2, 2],
      'y',
      [1, 32, 32],
    );
    const error = refusal(bytes);
    expect(error.operators).toEqual([
      {
        op: 'Resize',
        count: 4,
        nodes: ['/up1/Resize', '/up2/Resize', '/up3/Resize'],
        reason: 'no NN Builder layer computes it',
      },
      { op: 'LpPool', count: 1, nodes: ['/y/LpPool'], reason: 'no NN Builder layer computes it' },
    ]);
    expect(unsupportedTable(error.operators).split('\n')).toEqual([
      'operator  count  first nodes                               why',
      '────────  ─────  ────────────────────────────────────────  ───────────────────────────────',
      'Resize    4      /up1/Resize, /up2/Resize, /up3/Resize, …  no NN Builder layer computes it',
      'LpPool    1      /y/LpPool                                 no NN Builder layer computes it',
    ]);
  });

  it('refuses settings our layers lack, naming the node and why', () => {
    const bytes = model(
      [node('Conv', ['x', 'w'], 'y', { pads: { kind: 'ints', value: [0, 0, 1, 1] } })],
      [floats('w', [1, 1, 3, 3])],
      [1, 5, 5],
      'y',
      [1, 3, 3],
    );
    expect(refusal(bytes).operators[0]).toMatchObject({
      op: 'Conv',
      nodes: ['/y/Conv'],
      reason: expect.stringMatching(/pads top\/bottom 0\/1 .* PyTorch pads both sides alike/),
    });
  });

  it('reads HardSigmoid with PyTorch’s alpha 1/6 as Hardsigmoid, and refuses ONNX’s default 0.2', () => {
    const alpha = (value: number) => ({ alpha: { kind: 'float', value } });
    const torchLike = model([node('HardSigmoid', ['x'], 'y', alpha(1 / 6))], [], [3], 'y', [3]);
    expect(types(importOnnx(torchLike, { name: 't' }).graph)).toEqual(['x:Input', 'y:Hardsigmoid']);
    const keras = model([node('HardSigmoid', ['x'], 'y')], [], [3], 'y', [3]);
    expect(refusal(keras).operators[0]).toMatchObject({
      op: 'HardSigmoid',
      reason: expect.stringMatching(/max\(0, min\(1, 0\.2·x \+ 0\.5\)\); Hardsigmoid is x\/6/),
    });
  });

  it('reads Mul: x·HardSigmoid(x) is Hardswish, a C×1×1 gate times the map is Multiply', () => {
    const bytes = model(
      [
        node('HardSigmoid', ['x'], 'hs', { alpha: { kind: 'float', value: 1 / 6 } }),
        node('Mul', ['x', 'hs'], 'act'),
        node('GlobalAveragePool', ['act'], 'pool'),
        node('Sigmoid', ['pool'], 'gate'),
        node('Mul', ['gate', 'act'], 'y'),
      ],
      [],
      [4, 5, 5],
      'y',
      [4, 5, 5],
    );
    const { graph } = importOnnx(bytes, { name: 't' });
    expect(types(graph)).toEqual([
      'x:Input',
      'hs:Hardswish',
      'pool:AdaptiveAvgPool2d',
      'gate:Sigmoid',
      'y.mul:Multiply', // a functional operator: named after its scope
    ]);
    expect(analyze(graph).hasErrors).toBe(false);
  });

  it('refuses Mul by a constant, and a product of shapes Multiply cannot broadcast', () => {
    const byConstant = model(
      [node('Mul', ['x', 'k'], 'y')],
      [floats('k', [1], [3])],
      [3],
      'y',
      [3],
    );
    expect(refusal(byConstant).operators[0]?.reason).toMatch(/multiplies by a constant tensor/);
    const mismatch = model(
      [
        node('MaxPool', ['x'], 'small', { kernel_shape: { kind: 'ints', value: [2, 2] } }),
        node('Mul', ['x', 'small'], 'y'),
      ],
      [],
      [2, 4, 4],
      'y',
      [2, 4, 4],
    );
    expect(refusal(mismatch).operators[0]?.reason).toMatch(
      /multiplies element by element, so its inputs need the same shape, or one must be C×1×1/,
    );
  });

  it('reads Split, Slice and the channel shuffle (Reshape → Transpose → Reshape) of ShuffleNet', () => {
    const perm = (value: number[]) => ({ perm: { kind: 'ints', value } });
    const unit = (transpose: number[]) =>
      model(
        [
          {
            ...node('Split', ['x', 'halves'], 'a'),
            outputs: ['a', 'b'],
            attributes: { axis: { kind: 'int', value: 1 } },
          },
          node('Relu', ['b'], 'branch'),
          node('Concat', ['a', 'branch'], 'cat', { axis: { kind: 'int', value: 1 } }),
          node('Reshape', ['cat', 'grouped'], 'view'),
          node('Transpose', ['view'], 'swapped', perm(transpose)),
          node('Reshape', ['swapped', 'back'], 'shuffled'),
          node('Slice', ['shuffled', 'start', 'end', 'axes'], 'y'),
        ],
        [
          ints('halves', [2, 2]),
          ints('grouped', [0, 2, 2, 3, 3]),
          ints('back', [0, -1, 3, 3]),
          ints('start', [1]),
          // INT64_MAX: to the end, as torch writes x[:, 1:].
          { ...ints('end', [0]), data: BigInt64Array.from([9223372036854775807n]) },
          ints('axes', [1]),
        ],
        [4, 3, 3],
        'y',
        [3, 3, 3],
      );
    const { graph } = importOnnx(unit([0, 2, 1, 3, 4]), { name: 't' });
    expect(types(graph)).toEqual([
      'x:Input',
      'a:Slice',
      'a_2:Slice',
      'branch:ReLU',
      'cat.concat:Concat',
      'shuffled.reshape:ChannelShuffle',
      'y:Slice',
    ]);
    const params = Object.fromEntries(graph.nodes.map((n) => [n.id, n.params]));
    expect(params).toMatchObject({
      a: { start: 0, end: 2 },
      a_2: { start: 2, end: 4 },
      'shuffled.reshape': { groups: 2 },
      y: { start: 1, end: 4 },
    });
    expect(analyze(graph).hasErrors).toBe(false);
    expect(refusal(unit([0, 1, 2, 4, 3])).operators[0]).toMatchObject({
      op: 'Transpose',
      reason: expect.stringMatching(/only the channel shuffle pattern/),
    });
  });

  it('reads ReduceMean over H and W as a global average pool, flattened without keepdims', () => {
    const mean = (axes: number[], keepdims: number) =>
      model(
        [
          node('ReduceMean', ['x'], 'y', {
            axes: { kind: 'ints', value: axes },
            keepdims: { kind: 'int', value: keepdims },
          }),
        ],
        [],
        [4, 3, 3],
        'y',
        keepdims === 1 ? [4, 1, 1] : [4],
      );
    expect(types(importOnnx(mean([2, 3], 0), { name: 't' }).graph)).toEqual([
      'x:Input',
      'y:AdaptiveAvgPool2d',
      'y_2:Flatten',
    ]);
    expect(types(importOnnx(mean([-1, -2], 1), { name: 't' }).graph)).toEqual([
      'x:Input',
      'y:AdaptiveAvgPool2d',
    ]);
    expect(refusal(mean([1], 1)).operators[0]?.reason).toMatch(/only the mean over H and W/);
  });

  it('reads LayerNormalization between Transposes to channels-last and back as LayerNorm2d', () => {
    const perm = (value: number[]) => ({ perm: { kind: 'ints', value } });
    const eps = { epsilon: { kind: 'float', value: 1e-6 } };
    const ln = (transposed: boolean) =>
      model(
        [
          ...(transposed ? [node('Transpose', ['x'], 'nhwc', perm([0, 2, 3, 1]))] : []),
          node(
            'LayerNormalization',
            [transposed ? 'nhwc' : 'x', 'ln.weight', 'ln.bias'],
            'ln',
            eps,
          ),
          ...(transposed ? [node('Transpose', ['ln'], 'y', perm([0, 3, 1, 2]))] : []),
        ],
        [floats('ln.weight', [4]), floats('ln.bias', [4])],
        [4, 3, 3],
        transposed ? 'y' : 'ln',
        [4, 3, 3],
      );
    const { graph, state } = importOnnx(ln(true), { name: 't' });
    expect(graph.nodes.map((n) => [n.type, n.params])).toEqual([
      ['Input', { shape: [4, 3, 3] }],
      ['LayerNorm2d', { eps: 1e-6 }],
    ]);
    expect(Array.from(state.get('ln.weight')?.data ?? [])).toEqual([-3, -2, -1, 0]);
    expect(refusal(ln(false)).operators[0]).toMatchObject({
      op: 'LayerNormalization',
      reason: expect.stringMatching(/only the channels of a map moved last/),
    });
  });

  it('refuses a Split along H, and a Split whose sizes do not add up', () => {
    const splitOf = (axis: number, sizes: number[]) =>
      model(
        [
          {
            ...node('Split', ['x', 'sizes'], 'a'),
            outputs: ['a', 'b'],
            attributes: { axis: { kind: 'int', value: axis } },
          },
          node('Add', ['a', 'b'], 'y'),
        ],
        [ints('sizes', sizes)],
        [4, 4, 4],
        'y',
        [2, 4, 4],
      );
    expect(refusal(splitOf(2, [2, 2])).operators[0]?.reason).toMatch(
      /splits axis 2 of a 4×4×4 tensor; only the channels \(axis 1\)/,
    );
    expect(refusal(splitOf(1, [2, 1])).operators[0]?.reason).toMatch(
      /outputs of sizes 2, 1 do not split 4 channels/,
    );
  });

  it('names what is wrong with a broken file', () => {
    const good = model([node('Relu', ['x'], 'y')], [], [3], 'y', [3]);
    const broken = (bytes: Uint8Array) => () => importOnnx(bytes, { name: 'broken' });
    expect(broken(good.subarray(0, good.length - 5))).toThrow(/truncated/);
    expect(broken(new TextEncoder().encode('{"not": "onnx"}'))).toThrow(OnnxFormatError);
    expect(broken(model([node('Relu', ['nowhere'], 'y')], [], [3], 'y', [3]))).toThrow(
      /node "\/y\/Relu" \(Relu\) reads "nowhere", which no node, input or initializer provides/,
    );
    const open = model([node('Relu', ['x'], 'y')], [], ['channels'], 'y', [5]);
    expect(broken(open)).toThrow(/the input "x" has no fixed size .* --input C,H,W/);
    expect(types(importOnnx(open, { name: 'open', inputShape: [5] }).graph)).toEqual([
      'x:Input',
      'y:ReLU',
    ]);
  });
});
