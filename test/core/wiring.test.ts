import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import { applyFix, spliceEdge } from '../../src/core/graph/edits.js';
import { wireInto } from '../../src/core/graph/wiring.js';
import { graph } from '../helpers.js';

const g = graph(
  [
    ['input', 'Input'],
    ['conv', 'Conv2d', { out_channels: 4, kernel_size: 3 }],
    ['relu', 'ReLU'],
    ['pool', 'MaxPool2d', { kernel_size: 2 }],
    ['add', 'Add'],
    ['cat', 'Concat'],
  ],
  ['input->conv', 'conv->relu:0', 'relu->add', 'conv->add'],
);

describe('wireInto', () => {
  it('connects a free input', () => {
    const out = wireInto(g, 'relu', 'pool');
    expect(out).toMatchObject({ ok: true, replaced: null });
    expect(out.ok && out.graph.edges.at(-1)).toEqual({ source: 'relu', target: 'pool' });
  });

  it("replaces a one-input node's input in place, keeping its port and order", () => {
    const out = wireInto(g, 'input', 'relu');
    if (!out.ok) throw new Error(out.reason);
    expect(out.replaced).toEqual({ source: 'conv', target: 'relu', targetPort: 0 });
    expect(out.graph.edges[1]).toEqual({ source: 'input', target: 'relu', targetPort: 0 });
    expect(out.graph.edges).toHaveLength(g.edges.length);
  });

  it('adds to a multi-input node instead of replacing', () => {
    const out = wireInto(g, 'input', 'add');
    expect(out.ok && out.graph.edges).toHaveLength(g.edges.length + 1);
  });

  it.each([
    ['relu', 'conv', 'cycle', 'would make a cycle'], // though conv's one input is taken
    ['conv', 'relu', 'duplicate', 'is already connected'],
    ['relu', 'relu', 'self-loop', 'cannot feed its own input'],
    ['relu', 'input', 'network-input', 'is a network input'],
    ['relu', 'nowhere', 'not-in-graph', 'must be nodes of this graph'],
  ])('refuses %s → %s (%s): %s', (s, t, code, reason) => {
    const out = wireInto(g, s, t);
    expect(out).toMatchObject({ ok: false, code });
    expect(!out.ok && out.reason).toContain(reason);
  });

  it('adds another input to a Concat rather than swapping one', () => {
    const two = graph(
      [
        ['a', 'Input'],
        ['b', 'Input'],
        ['c', 'Input'],
        ['cat', 'Concat'],
      ],
      ['a->cat', 'b->cat'],
    );
    expect(wireInto(two, 'c', 'cat')).toMatchObject({ ok: true, replaced: null });
  });
});

describe('spliceEdge', () => {
  it('turns A→B into A→new→B at the given position; B keeps its port', () => {
    const out = spliceEdge(g, 1, 'BatchNorm2d', { x: 12.4, y: 30 });
    expect(out.id).toBe('bn1');
    expect(out.graph.edges.slice(1, 3)).toEqual([
      { source: 'conv', target: 'bn1' },
      { source: 'bn1', target: 'relu', targetPort: 0 },
    ]);
    expect(out.graph.nodes.at(-1)).toMatchObject({ id: 'bn1', ui: { x: 12, y: 30 } });
    expect(analyze(out.graph).nodes.get('bn1')?.outputShape).toEqual([4, 26, 26]);
  });

  it('splices the right one of two parallel edges', () => {
    const twice = graph(
      [
        ['input', 'Input'],
        ['add', 'Add'],
      ],
      ['input->add', 'input->add'],
    );
    const out = spliceEdge(twice, 1, 'ReLU', { x: 0, y: 0 });
    expect(out.graph.edges).toEqual([
      { source: 'input', target: 'add' },
      { source: 'input', target: 'relu1' },
      { source: 'relu1', target: 'add' },
    ]);
  });

  it.each([-1, 4.5, 99, Number.NaN])('leaves the graph alone for edge %s', (i) => {
    expect(spliceEdge(g, i, 'ReLU', { x: 0, y: 0 })).toEqual({ graph: g, id: null });
  });

  it("is what an insert-node fix applies (the fix's params, between its two nodes)", () => {
    const fixed = applyFix(g, {
      kind: 'insert-node',
      description: '',
      source: 'conv',
      target: 'relu',
      targetPort: 0,
      nodeType: 'Flatten',
      params: { start_dim: 1 },
    });
    expect(fixed).toEqual(spliceEdge(g, 1, 'Flatten', { x: 0, y: 0 }, { start_dim: 1 }).graph);
  });
});
