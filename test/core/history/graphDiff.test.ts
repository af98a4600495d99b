import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GraphDocument, GraphNode } from '../../../src/core/graph/document.js';
import { parseGraphJson } from '../../../src/core/graph/parseGraph.js';
import { diffGraphs, formatParamChange } from '../../../src/core/history/graphDiff.js';

const lenet = (() => {
  const parsed = parseGraphJson(
    readFileSync(join(import.meta.dirname, '../../../templates/lenet-5.nnb.json'), 'utf8'),
  );
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.graph;
})();

const withNode = (doc: GraphDocument, id: string, patch: (n: GraphNode) => GraphNode) => ({
  ...doc,
  nodes: doc.nodes.map((n) => (n.id === id ? patch(n) : n)),
});

describe('diffGraphs', () => {
  it('finds nothing between a graph and itself moved around', () => {
    const moved = { ...lenet, nodes: lenet.nodes.map((n) => ({ ...n, ui: { x: 1, y: 2 } })) };
    const d = diffGraphs(lenet, moved);
    expect(d).toMatchObject({ added: [], removed: [], changed: [], same: true });
    expect(d.totals.before).toEqual(d.totals.after);
    expect(d.totals.before.params).toBe(61_706);
  });

  it('names a parameter edit and the counts it changes, upstream and downstream', () => {
    // conv2: 6→32 output channels. Its weights 16·6·25+16 = 2,416 become 32·6·25+32 = 4,832;
    // fc1 reads 32·5·5 = 800 features instead of 400: 400·120+120 = 48,120 → 96,120.
    const after = withNode(lenet, 'conv2', (n) => ({
      ...n,
      params: { ...n.params, out_channels: 32 },
    }));
    const d = diffGraphs(lenet, after);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.changed.map((c) => [c.id, c.edited, c.paramsBefore, c.paramsAfter])).toEqual([
      ['conv2', true, 2_416, 4_832],
      ['fc1', false, 48_120, 96_120],
    ]);
    const conv2 = d.changed[0];
    expect(conv2?.paramChanges).toEqual([{ name: 'out_channels', before: 16, after: 32 }]);
    expect(conv2?.shapeBefore).toBe('16×10×10');
    expect(conv2?.shapeAfter).toBe('32×10×10');
    expect(d.totals.before.params).toBe(61_706);
    expect(d.totals.after.params).toBe(61_706 + 2_416 + 48_000);
    expect(d.same).toBe(false);
  });

  it('lists added and removed nodes with their weights, and the rewired input', () => {
    // Replace relu3 with a Dropout (new id), and add a BatchNorm1d after fc1 … as a dangling node.
    const after: GraphDocument = {
      ...lenet,
      nodes: [
        ...lenet.nodes.filter((n) => n.id !== 'relu3'),
        { id: 'drop', type: 'Dropout' },
        { id: 'extra', type: 'Linear', params: { out_features: 5 } },
      ],
      edges: [
        ...lenet.edges.filter((e) => e.source !== 'relu3' && e.target !== 'relu3'),
        { source: 'fc1', target: 'drop' },
        { source: 'drop', target: 'fc2' },
        { source: 'fc3', target: 'extra' },
      ],
    };
    const d = diffGraphs(lenet, after);
    expect(d.removed).toEqual([{ id: 'relu3', type: 'ReLU', params: 0, macs: 0, shape: '120' }]);
    expect(d.added.map((n) => [n.id, n.type, n.params, n.shape])).toEqual([
      ['drop', 'Dropout', 0, '120'],
      ['extra', 'Linear', 55, '5'],
    ]);
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]).toMatchObject({
      id: 'fc2',
      edited: true,
      paramChanges: [],
      inputs: { before: ['relu3'], after: ['drop'] },
      paramsBefore: 10_164,
      paramsAfter: 10_164,
    });
    expect(d.totals.after.params - d.totals.before.params).toBe(55);
    expect(d.totals.after.nodes).toBe(14);
  });

  it('reports type, frozen and default-valued parameter changes', () => {
    const after = withNode(
      withNode(lenet, 'pool1', (n) => ({ ...n, type: 'AvgPool2d' })),
      'conv1',
      (n) => ({ ...n, trainable: false, params: { out_channels: 6, kernel_size: 5 } }),
    );
    const d = diffGraphs(lenet, after);
    const conv1 = d.changed.find((c) => c.id === 'conv1');
    expect(conv1?.trainableChanged).toBe(true);
    expect(conv1?.paramChanges.map(formatParamChange)).toEqual(['padding 2 → (default)']);
    const pool1 = d.changed.find((c) => c.id === 'pool1');
    expect([pool1?.typeBefore, pool1?.typeAfter]).toEqual(['MaxPool2d', 'AvgPool2d']);
  });

  it('does not throw on graphs with errors; their totals say so', () => {
    const broken = { ...lenet, nodes: lenet.nodes.filter((n) => n.id !== 'flatten') };
    const d = diffGraphs(lenet, broken);
    expect(d.totals.after.hasErrors).toBe(true);
    expect(d.removed.map((n) => n.id)).toEqual(['flatten']);
    expect(diffGraphs(broken, broken).same).toBe(true);
  });
});
