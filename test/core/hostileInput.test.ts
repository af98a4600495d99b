import { describe as group, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import { buildTopology } from '../../src/core/analysis/topology.js';
import type { GraphNode, ParamValue } from '../../src/core/graph/document.js';
import { NODE_TYPES } from '../../src/core/layers/registry.js';
import { describe } from '../../src/core/params/resolveParams.js';
import { summaryTable } from '../../src/core/format/summaryTable.js';
import { closestName } from '../../src/core/text/closestName.js';
import { chain, graph, nodeOf } from '../helpers.js';

/** [[[…[1]…]]], `depth` lists deep, built without recursion as JSON.parse would. */
function nested(depth: number): ParamValue {
  let value: ParamValue = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

group('params nested 100,000 deep (was: "Maximum call stack size exceeded", exit 70)', () => {
  it('describe() stays short and never recurses without bound', () => {
    expect(describe(nested(100_000))).toBe('[[[[[[[[…]]]]]]]]');
    expect(describe([1, [2, 3], 'x'])).toBe('[1,[2,3],"x"]');
    expect(describe({ a: [1] })).toBe('{"a":[1]}');
    expect(describe(Array.from({ length: 1_000_000 }, (_, i) => i))).toMatch(/^\[0,1,2,.{40,}…$/);
  });

  it.each([
    [
      'out_features',
      'Linear "fc": "out_features" must be an integer ≥ 1, got lists nested more than 4 deep',
    ],
    ['in_features', 'Linear "fc": in_features is [[[[[[[[…]]]]]]]] in the file'],
  ])('%s is a diagnostic on the node', (param, message) => {
    const doc = chain([10], ['fc', 'Linear', { out_features: 3, [param]: nested(100_000) }]);
    const d = nodeOf(analyze(doc), 'fc').diagnostics;
    expect(d.map((x) => x.code)).toEqual(['invalid-param']);
    expect(d[0]?.message).toContain(message);
  });

  it('real nesting ([[1, 1], [1, 1]]-like values) is still read', () => {
    const doc = chain([1, 8, 8], ['pad', 'ZeroPad2d', { padding: [1, 1, 2, 2] }]);
    expect(nodeOf(analyze(doc), 'pad').outputShape).toEqual([1, 12, 10]);
  });
});

group('targetPort 1e9 (was: 14 s, 1.75 GB, then "Invalid array length", exit 70)', () => {
  const nodes: GraphNode[] = [
    { id: 'a', type: 'Input' },
    { id: 'b', type: 'Input' },
    { id: 'add', type: 'Add' },
  ];

  it('a port at or beyond the node’s incoming edge count is refused before anything is allocated', () => {
    const t = buildTopology(nodes, [{ source: 'a', target: 'add', targetPort: 1e9 }]);
    expect(t.inputs.get('add')).toEqual([]);
    expect(t.diagnostics).toEqual([
      expect.objectContaining({
        code: 'invalid-value',
        node: 'add',
        message: expect.stringContaining(
          'The edge a → add has targetPort 1000000000, but "add" has one incoming edge, so its only port is 0.',
        ),
      }),
    ]);
    const two = buildTopology(nodes, [
      { source: 'a', target: 'add', targetPort: 0 },
      { source: 'b', target: 'add', targetPort: 2 },
    ]);
    expect(two.diagnostics[0]?.message).toContain('2 incoming edges, so its ports are 0 to 1');
  });

  it('ports below the count still wire as written', () => {
    const t = buildTopology(nodes, [
      { source: 'a', target: 'add', targetPort: 1 },
      { source: 'b', target: 'add', targetPort: 0 },
    ]);
    expect([t.inputs.get('add'), t.diagnostics]).toEqual([['b', 'a'], []]);
  });

  it('the analysis names the node and offers to disconnect the edge', () => {
    const doc = graph(
      [
        ['input', 'Input', { shape: [4] }],
        ['r', 'ReLU'],
      ],
      ['input->r:1000000000'],
    );
    const d = analyze(doc).diagnostics.find((x) => x.code === 'invalid-value');
    expect(d).toMatchObject({
      node: 'r',
      fix: { kind: 'remove-edge', source: 'input', target: 'r' },
    });
  });
});

group('a 10 MB layer type name (was: 19 s and 1.4 GB in the edit distance)', () => {
  it('gets no suggestion, at once', () => {
    const started = performance.now();
    expect(closestName('x'.repeat(10_000_000), NODE_TYPES)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('typos of real names are still suggested', () => {
    expect(closestName('conv2D', NODE_TYPES)).toBe('Conv2d');
    expect(closestName('Lineer', NODE_TYPES)).toBe('Linear');
    expect(closestName('BatchNorm', NODE_TYPES)).toBe('BatchNorm2d');
  });

  it('the message quotes the name cut short', () => {
    const doc = chain([4], ['r', 'x'.repeat(10_000_000)]);
    const [d] = nodeOf(analyze(doc), 'r').diagnostics;
    expect(d?.message.length).toBeLessThan(1000);
    expect(d?.message).toContain(`has unknown type "${'x'.repeat(40)}…"`);
  });
});

group('a 10 MB name in the summary table (was: every row padded to it, 180 MB printed)', () => {
  it('is cut short, so the table stays the size of a normal one', () => {
    const long = 'x'.repeat(10_000_000);
    const table = summaryTable('net', analyze(chain([4], [long, 'ReLU'], ['fc', long])));
    expect(table.length).toBeLessThan(5_000);
    expect(table).toContain(`${'x'.repeat(39)}… (ReLU)`);
    expect(table).toContain(`fc (${'x'.repeat(39)}…)`);
  });
});
