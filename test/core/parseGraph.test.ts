import { describe, expect, it } from 'vitest';
import { parseGraphJson } from '../../src/core/graph/parseGraph.js';

const valid = {
  format: 'nnb-graph',
  version: 1,
  name: 'x',
  nodes: [
    {
      id: 'input',
      type: 'Input',
      params: { shape: [1, 28, 28] },
      ui: { x: 1, y: 2 },
      colour: 'red',
    },
  ],
  edges: [],
  futureField: { kept: true },
};

describe('parseGraphJson', () => {
  it('accepts a valid document and keeps unknown fields (forward compatibility)', () => {
    const parsed = parseGraphJson(JSON.stringify(valid));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    // A version-1 file opens as the current version (test/core/budgets/migrations.test.ts).
    expect(JSON.parse(JSON.stringify(parsed.graph))).toEqual({ ...valid, version: 2 });
  });

  it.each([
    ['', 'the file is empty'],
    [
      '{\n  "format": "nnb-graph",\n  "version": 1\n  "nodes": []\n}',
      'invalid JSON at line 4, column 3',
    ],
    ['{"format": "nnb-graph", "version": ', 'invalid JSON at line 1, column 36'],
    ['[1, 2]', 'expected a JSON object'],
    ['{"version": 1}', 'the "format" field is missing'],
    ['{"format": "onnx", "version": 1}', '"format" is "onnx"'],
    [
      '{"format": "nnb-graph", "version": 7, "nodes": [], "edges": []}',
      'made by a newer NN Builder',
    ],
    [
      '{"format": "nnb-graph", "version": "1", "nodes": [], "edges": []}',
      '"version" must be a positive integer',
    ],
    ['{"format": "nnb-graph", "version": 1, "edges": []}', '"nodes" must be a list'],
    ['{"format": "nnb-graph", "version": 1, "nodes": [], "edges": {}}', '"edges" must be a list'],
    [
      '{"format": "nnb-graph", "version": 1, "nodes": [{"type": "ReLU"}], "edges": []}',
      'nodes[0].id must be a non-empty string',
    ],
    [
      '{"format": "nnb-graph", "version": 1, "nodes": [{"id": "a"}], "edges": []}',
      'nodes[0] ("a"): "type" must be a layer type',
    ],
    [
      '{"format": "nnb-graph", "version": 1, "nodes": [{"id": "a", "type": "ReLU", "params": 3}], "edges": []}',
      '"params" must be an object',
    ],
    [
      '{"format": "nnb-graph", "version": 1, "nodes": [], "edges": [{"source": "a"}]}',
      'edges[0].target must be a node id',
    ],
    [
      '{"format": "nnb-graph", "version": 1, "nodes": [], "edges": [{"source": "a", "target": "b", "targetPort": 1.5}]}',
      'edges[0].targetPort must be 0, 1, 2',
    ],
  ])('rejects %j with a message naming the problem', (text, message) => {
    const parsed = parseGraphJson(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });
});
