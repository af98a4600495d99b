import { describe, expect, it } from 'vitest';
import { addAfter } from '../../src/core/graph/addAfter.js';
import type { GraphDocument, GraphNode } from '../../src/core/graph/document.js';
import { emptyGraph } from '../../src/core/graph/document.js';
import { analyze } from '../../src/core/analysis/analyze.js';

const at = { x: 0, y: 200 };

const PARAMS: Readonly<Record<string, GraphNode['params']>> = {
  Input: { shape: [1, 28, 28] },
  Conv2d: { out_channels: 16, kernel_size: 3 },
};

function chain(...nodes: [string, string][]): GraphDocument {
  return {
    ...emptyGraph(),
    nodes: nodes.map(([id, type]) => ({ id, type, params: PARAMS[type] ?? {} })),
    edges: nodes.slice(1).map(([id], i) => ({ source: nodes[i]?.[0] ?? '', target: id })),
  };
}

describe('addAfter', () => {
  it('feeds the new node from the selected end of a chain', () => {
    const g = chain(['input', 'Input'], ['conv1', 'Conv2d']);
    const out = addAfter(g, 'conv1', 'ReLU', at);
    expect(out).toMatchObject({ id: 'relu1', how: 'connected' });
    expect(out.graph.edges.at(-1)).toEqual({ source: 'conv1', target: 'relu1' });
    expect(out.graph.nodes.at(-1)?.ui).toEqual(at);
    expect(analyze(out.graph).nodes.get('relu1')?.outputShape).toEqual([16, 26, 26]);
  });

  it('splices into the one edge leaving the selected node, keeping the port', () => {
    const g = chain(['input', 'Input'], ['conv1', 'Conv2d'], ['flat', 'Flatten']);
    const out = addAfter(g, 'conv1', 'MaxPool2d', at);
    expect(out.how).toBe('spliced');
    expect(out.graph.edges).toEqual([
      { source: 'input', target: 'conv1' },
      { source: 'conv1', target: 'pool1' },
      { source: 'pool1', target: 'flat' },
    ]);
  });

  it('adds a branch when the selected node already feeds two', () => {
    const g: GraphDocument = {
      ...chain(['input', 'Input'], ['a', 'ReLU']),
      nodes: [...chain(['input', 'Input'], ['a', 'ReLU']).nodes, { id: 'b', type: 'ReLU' }],
      edges: [
        { source: 'input', target: 'a' },
        { source: 'input', target: 'b' },
      ],
    };
    const out = addAfter(g, 'input', 'Flatten', at);
    expect(out.how).toBe('connected');
    expect(out.graph.edges).toHaveLength(3);
    expect(out.graph.edges.at(-1)).toEqual({ source: 'input', target: 'flatten1' });
  });

  it('adds an Input, or a layer with nothing selected, unconnected', () => {
    const g = chain(['input', 'Input'], ['conv1', 'Conv2d']);
    expect(addAfter(g, 'conv1', 'Input', at)).toMatchObject({ how: 'alone', id: 'input1' });
    expect(addAfter(g, 'conv1', 'Input', at).graph.edges).toEqual(g.edges);
    expect(addAfter(g, undefined, 'ReLU', at).graph.edges).toEqual(g.edges);
    expect(addAfter(g, 'gone', 'ReLU', at).how).toBe('alone');
  });
});
