import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import type { Fix } from '../../src/core/diagnostics.js';
import type { GraphDocument, ParamValue } from '../../src/core/graph/document.js';
import { codes, graph, nodeOf } from '../helpers.js';
import { expectField, traceOf } from './layerCase.js';

/** Inputs of the given shapes (ids in0, in1, …) feeding one merge node "m" on ports 0, 1, …. */
function merge(
  type: string,
  shapes: readonly (readonly number[])[],
  params: Record<string, ParamValue> = {},
) {
  return analyze(
    graph(
      [
        ...shapes.map((s, i) => [`in${i}`, 'Input', { shape: [...s] }] as const),
        ['m', type, params],
      ],
      shapes.map((_, i) => `in${i}->m:${i}`),
    ),
  );
}

/** Applies an insert-node fix the way the editor does: a new node on the edge source → target. */
function applyInsert(doc: GraphDocument, fix: Fix | undefined): GraphDocument {
  if (fix?.kind !== 'insert-node') throw new Error('expected an insert-node fix');
  const id = 'fixed';
  return {
    ...doc,
    nodes: [...doc.nodes, { id, type: fix.nodeType, params: fix.params }],
    edges: [
      ...doc.edges.filter(
        (e) =>
          !(
            e.source === fix.source &&
            e.target === fix.target &&
            (e.targetPort ?? 0) === fix.targetPort
          ),
      ),
      { source: fix.source, target: id },
      { source: id, target: fix.target, targetPort: fix.targetPort },
    ],
  };
}

describe('Add', () => {
  it.each([
    [
      [
        [64, 28, 28],
        [64, 28, 28],
      ],
      [64, 28, 28],
    ],
    [[[10], [10], [10]], [10]],
    [
      [
        [4, 6],
        [4, 6],
      ],
      [4, 6],
    ],
  ] as const)('adds %j', (shapes, out) => {
    const m = nodeOf(merge('Add', shapes), 'm');
    expect(m.diagnostics).toEqual([]);
    expect(m.outputShape).toEqual(out);
    expect([m.params, m.buffers, m.macs]).toEqual([0, 0, 0]);
    expect(traceOf(m)[0]).toBe(`shape = ${out.join('×')} (as every input)`);
  });

  it('sees the larger field of its branches (merge rule)', () => {
    const a = analyze(
      graph(
        [
          ['x', 'Input', { shape: [8, 16, 16] }],
          ['a', 'Conv2d', { out_channels: 8, kernel_size: 3, padding: 1 }],
          ['b', 'Conv2d', { out_channels: 8, kernel_size: 5, padding: 2 }],
          ['add', 'Add'],
        ],
        ['x->a', 'x->b', 'a->add:0', 'b->add:1'],
      ),
    );
    const add = nodeOf(a, 'add');
    expectField(add, { size: [5, 5], jump: [1, 1], start: [0, 0] });
    expect(traceOf(add)).toContain('RF = max(3, 5) = 5');
  });

  it('names every input, its source and shape, and offers the ResNet projection', () => {
    const d = nodeOf(
      merge('Add', [
        [128, 28, 28],
        [64, 56, 56],
      ]),
      'm',
    ).diagnostics;
    expect(d).toEqual([
      {
        severity: 'error',
        code: 'shape-mismatch',
        node: 'm',
        message:
          'Add "m" adds element by element, so all inputs need the same shape, but input 0 from "in0" is ' +
          '128×28×28 and input 1 from "in1" is 64×56×56. Insert a 1×1 Conv2d (64→128 channels, stride 2) ' +
          'on the branch from "in1" so they match.',
        fix: {
          kind: 'insert-node',
          description: 'Insert a 1×1 Conv2d (64→128 channels, stride 2) on the branch from "in1"',
          source: 'in1',
          target: 'm',
          targetPort: 1,
          nodeType: 'Conv2d',
          params: { out_channels: 128, kernel_size: 1, stride: 2 },
        },
      },
    ]);
  });

  it.each([
    [
      'the shortcut on port 0',
      [
        [64, 56, 56],
        [128, 28, 28],
      ],
      0,
      { out_channels: 128, kernel_size: 1, stride: 2 },
    ],
    [
      'channels only (three inputs)',
      [
        [64, 28, 28],
        [128, 28, 28],
        [128, 28, 28],
      ],
      0,
      { out_channels: 128, kernel_size: 1 },
    ],
    [
      'odd size: ⌈7/2⌉ = 4',
      [
        [64, 7, 7],
        [128, 4, 4],
      ],
      0,
      { out_channels: 128, kernel_size: 1, stride: 2 },
    ],
    [
      'per-axis stride',
      [
        [32, 8, 12],
        [32, 4, 4],
      ],
      0,
      { out_channels: 32, kernel_size: 1, stride: [2, 3] },
    ],
    [
      'fewer channels on the smaller map',
      [
        [256, 56, 56],
        [128, 28, 28],
      ],
      0,
      { out_channels: 128, kernel_size: 1, stride: 2 },
    ],
  ] as const)('projects %s', (_name, shapes, port, params) => {
    const [d] = nodeOf(merge('Add', shapes), 'm').diagnostics;
    expect(d?.code).toBe('shape-mismatch');
    expect(d?.fix).toMatchObject({
      kind: 'insert-node',
      nodeType: 'Conv2d',
      targetPort: port,
      source: `in${port}`,
      params,
    });
  });

  it('the projection fix, applied, makes the graph valid', () => {
    const doc = graph(
      [
        ['x', 'Input', { shape: [64, 56, 56] }],
        ['conv', 'Conv2d', { out_channels: 128, kernel_size: 3, stride: 2, padding: 1 }],
        ['add', 'Add'],
      ],
      ['x->conv', 'conv->add:0', 'x->add:1'],
    );
    const fix = analyze(doc).diagnostics[0]?.fix;
    const fixed = analyze(applyInsert(doc, fix));
    expect(fixed.diagnostics).toEqual([]);
    expect(nodeOf(fixed, 'add').outputShape).toEqual([128, 28, 28]);
  });

  it.each([
    [
      'no 1×1 strided conv maps 6 to 4',
      [
        [64, 6, 6],
        [128, 4, 4],
      ],
    ],
    ['flat inputs', [[10], [12]]],
  ] as const)('offers no fix when %s', (_name, shapes) => {
    const [d] = nodeOf(merge('Add', shapes), 'm').diagnostics;
    expect(d?.code).toBe('shape-mismatch');
    expect(d?.fix).toBeUndefined();
    expect(d?.message).toContain('Change the branches so they produce the same shape.');
  });

  it('needs two inputs', () => {
    expect(codes(merge('Add', [[4, 4, 4]]))).toEqual(['missing-input']);
  });
});

describe('Concat', () => {
  it.each([
    [
      'channels (dim=1)',
      [
        [64, 28, 28],
        [32, 28, 28],
      ],
      {},
      [96, 28, 28],
      'C_out = 64 + 32 = 96',
    ],
    [
      'channels (dim=-3)',
      [
        [64, 28, 28],
        [32, 28, 28],
      ],
      { dim: -3 },
      [96, 28, 28],
      'C_out = 64 + 32 = 96',
    ],
    [
      'height (dim=2)',
      [
        [64, 28, 28],
        [64, 14, 28],
      ],
      { dim: 2 },
      [64, 42, 28],
      'H_out = 28 + 14 = 42',
    ],
    [
      'width (dim=-1)',
      [
        [64, 28, 28],
        [64, 28, 30],
      ],
      { dim: -1 },
      [64, 28, 58],
      'W_out = 28 + 30 = 58',
    ],
    ['features, three inputs', [[10], [20], [5]], {}, [35], 'F_out = 10 + 20 + 5 = 35'],
  ] as const)('joins %s', (_name, shapes, params, out, line) => {
    const m = nodeOf(merge('Concat', shapes, params), 'm');
    expect(m.diagnostics).toEqual([]);
    expect(m.outputShape).toEqual(out);
    expect(traceOf(m)).toContain(line);
  });

  it('lists inputs in port order, whatever the edge order', () => {
    const a = analyze(
      graph(
        [
          ['a', 'Input', { shape: [3, 8, 8] }],
          ['b', 'Input', { shape: [5, 8, 8] }],
          ['cat', 'Concat'],
        ],
        ['b->cat:1', 'a->cat:0'],
      ),
    );
    expect(traceOf(nodeOf(a, 'cat'))).toContain('C_out = 3 + 5 = 8');
  });

  it('names the sources, shapes and the dim that differs (torch: "Sizes of tensors must match except in dimension 1")', () => {
    const [d] = nodeOf(
      merge('Concat', [
        [64, 28, 28],
        [32, 14, 14],
      ]),
      'm',
    ).diagnostics;
    expect(d?.code).toBe('shape-mismatch');
    expect(d?.message).toBe(
      'Concat "m" joins along dim=1 (C), so every other dim must match, but input 0 from "in0" is ' +
        '64×28×28 and input 1 from "in1" is 32×14×14: H differs. Bring the branches to the same H×W ' +
        '(pool or stride the larger one) first.',
    );
  });

  it('needs the same rank (torch: "Tensors must have same number of dimensions")', () => {
    const [d] = nodeOf(
      merge('Concat', [
        [64, 28, 28],
        [32, 28],
      ]),
      'm',
    ).diagnostics;
    expect(d?.code).toBe('shape-mismatch');
    expect(d?.message).toContain('needs inputs with the same number of dims');
  });

  it('refuses the batch axis', () => {
    const [d] = nodeOf(
      merge(
        'Concat',
        [
          [64, 28, 28],
          [32, 28, 28],
        ],
        { dim: 0 },
      ),
      'm',
    ).diagnostics;
    expect(d?.code).toBe('invalid-value');
    expect(d?.message).toContain('dim=0 is the batch axis');
    expect(d?.fix).toEqual({
      kind: 'set-param',
      description: 'Set dim to 1',
      node: 'm',
      param: 'dim',
      value: 1,
    });
  });

  it('refuses a dim out of range', () => {
    const [d] = nodeOf(
      merge(
        'Concat',
        [
          [64, 28, 28],
          [32, 28, 28],
        ],
        { dim: 4 },
      ),
      'm',
    ).diagnostics;
    expect(d?.message).toContain('dim must be from -4 to 3');
  });

  it('sees the larger field of its inputs', () => {
    const a = analyze(
      graph(
        [
          ['x', 'Input', { shape: [8, 16, 16] }],
          ['a', 'Conv2d', { out_channels: 8, kernel_size: 7, padding: 3 }],
          ['cat', 'Concat'],
        ],
        ['x->a', 'a->cat:0', 'x->cat:1'],
      ),
    );
    expectField(nodeOf(a, 'cat'), { size: [7, 7], jump: [1, 1], start: [0, 0] });
  });
});

describe('Multiply', () => {
  it.each([
    ['same shapes', [8, 5, 5], [8, 5, 5], [8, 5, 5], 'as both inputs'],
    ['flat vectors', [10], [10], [10], 'as both inputs'],
    [
      'a C×1×1 gate on port 1',
      [8, 5, 7],
      [8, 1, 1],
      [8, 5, 7],
      "port 1's 8×1×1 broadcast over H×W",
    ],
    [
      'a C×1×1 gate on port 0',
      [8, 1, 1],
      [8, 5, 7],
      [8, 5, 7],
      "port 0's 8×1×1 broadcast over H×W",
    ],
    ['two gates', [8, 1, 1], [8, 1, 1], [8, 1, 1], 'as both inputs'],
  ] as const)('multiplies %s', (_name, a, b, out, note) => {
    const m = nodeOf(merge('Multiply', [a, b]), 'm');
    expect(m.diagnostics).toEqual([]);
    expect(m.outputShape).toEqual(out);
    expect([m.params, m.buffers, m.macs]).toEqual([0, 0, 0]);
    expect(traceOf(m)[0]).toBe(`shape = ${out.join('×')} (${note})`);
  });

  it.each([
    ['different channels', [8, 5, 5], [4, 1, 1], 'The channel counts differ'],
    ['different maps', [8, 5, 5], [8, 4, 4], 'reduce one to C×1×1'],
    ['a C×1 gate (not C×1×1)', [8, 5, 5], [8, 1], 'reduce one to C×1×1'],
    ['a flat C against a map', [8, 5, 5], [8], 'reduce one to C×1×1'],
    ['a 1×1×1 gate (no broadcast over channels)', [8, 5, 5], [1, 1, 1], 'The channel counts'],
  ] as const)('refuses %s, naming both inputs', (_name, a, b, hint) => {
    const [d, ...rest] = nodeOf(merge('Multiply', [a, b]), 'm').diagnostics;
    expect(rest).toEqual([]);
    expect(d?.code).toBe('shape-mismatch');
    expect(d?.message).toContain(
      `Multiply "m" multiplies element by element, so its inputs need the same shape, or one must ` +
        `be C×1×1 to scale the channels of a C×H×W map, but input 0 from "in0" is ${a.join('×')} ` +
        `and input 1 from "in1" is ${b.join('×')}.`,
    );
    expect(d?.message).toContain(hint);
  });

  it('takes exactly two inputs', () => {
    expect(
      codes(
        merge('Multiply', [
          [4, 2, 2],
          [4, 2, 2],
          [4, 2, 2],
        ]),
      ),
    ).toContain('too-many-inputs');
  });

  it('a squeeze-excitation gate sees the whole input (merge rule)', () => {
    const a = analyze(
      graph(
        [
          ['x', 'Input', { shape: [8, 16, 16] }],
          ['conv', 'Conv2d', { out_channels: 8, kernel_size: 3, padding: 1 }],
          ['pool', 'AdaptiveAvgPool2d', { output_size: 1 }],
          ['fc', 'Conv2d', { out_channels: 8, kernel_size: 1 }],
          ['gate', 'Hardsigmoid'],
          ['scale', 'Multiply'],
        ],
        ['x->conv', 'conv->pool', 'pool->fc', 'fc->gate', 'gate->scale:0', 'conv->scale:1'],
      ),
    );
    expect(a.diagnostics).toEqual([]);
    const scale = nodeOf(a, 'scale');
    expect(scale.outputShape).toEqual([8, 16, 16]);
    expect(scale.receptiveField?.size).toEqual(nodeOf(a, 'gate').receptiveField?.size);
    expect(a.totals.params).toBe(8 * 8 * 9 + 8 + 8 * 8 + 8);
  });
});
