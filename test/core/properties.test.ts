import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import type { GraphDocument, GraphNode, ParamValue } from '../../src/core/graph/document.js';
import { parseGraphJson, readGraphDocument } from '../../src/core/graph/parseGraph.js';
import { NODE_DEFINITIONS } from '../../src/core/layers/registry.js';

const types = NODE_DEFINITIONS.map((d) => d.type);
const paramNames = [...new Set(NODE_DEFINITIONS.flatMap((d) => Object.keys(d.params)))];

const paramValue: fc.Arbitrary<ParamValue> = fc.oneof(
  fc.integer({ min: -3, max: 70 }),
  fc.double({ noNaN: false }),
  fc.constantFrom('same', 'valid', 'nearest', 'bilinear', 'zeros', 'auto', ''),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer({ min: -1, max: 64 }), { maxLength: 5 }),
  fc.tuple(fc.constant(null), fc.integer({ min: 1, max: 8 })),
);

const node = (ids: readonly string[]): fc.Arbitrary<GraphNode> =>
  fc.record(
    {
      id: fc.constantFrom(...ids),
      type: fc.oneof(
        { weight: 9, arbitrary: fc.constantFrom(...types) },
        { weight: 1, arbitrary: fc.string() },
      ),
      params: fc.dictionary(fc.constantFrom(...paramNames, 'bogus'), paramValue, { maxKeys: 4 }),
      trainable: fc.boolean(),
    },
    { requiredKeys: ['id', 'type'] },
  );

/** Random graphs over the real catalog: mostly plausible, often broken, sometimes cyclic. */
const graph: fc.Arbitrary<GraphDocument> = fc
  .integer({ min: 1, max: 14 })
  .chain((n) => {
    const ids = Array.from({ length: n }, (_, i) => `n${i}`);
    const input: GraphNode = { id: 'n0', type: 'Input', params: { shape: [3, 32, 32] } };
    return fc.record({
      nodes: fc.array(node([...ids, 'dup']), { maxLength: n }).map((rest) => [input, ...rest]),
      edges: fc.array(
        fc.record(
          {
            source: fc.constantFrom(...ids, 'ghost'),
            target: fc.constantFrom(...ids),
            targetPort: fc.integer({ min: -1, max: 3 }),
          },
          { requiredKeys: ['source', 'target'] },
        ),
        { maxLength: n * 2 },
      ),
    });
  })
  .map((g) => ({ format: 'nnb-graph', version: 1, ...g }));

describe('analysis never crashes', () => {
  it('on random graphs over the catalog, and its totals add up', () => {
    fc.assert(
      fc.property(graph, (g) => {
        const a = analyze(g);
        const sum = a.layers.reduce((s, l) => s + l.params, 0);
        expect(a.totals.params).toBe(sum);
        expect(a.hasErrors).toBe(a.diagnostics.some((d) => d.severity === 'error'));
        for (const d of a.diagnostics) {
          expect(d.message.length).toBeGreaterThan(10);
          if (d.node !== undefined)
            expect(a.nodes.has(d.node) || g.nodes.some((n) => n.id === d.node)).toBe(true);
        }
        for (const l of a.layers) {
          if (l.outputShape)
            expect(l.outputShape.every((x) => Number.isInteger(x) && x > 0)).toBe(true);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('on random JSON text and values: parse either accepts or explains', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string()), (text) => {
        const parsed = parseGraphJson(text);
        if (parsed.ok) analyze(parsed.graph);
        else expect(parsed.error.length).toBeGreaterThan(5);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.anything(), graph, (junk, g) => {
        for (const candidate of [
          junk,
          { ...g, nodes: [...g.nodes, junk] },
          { ...g, edges: [junk] },
        ]) {
          const parsed = readGraphDocument(candidate);
          if (parsed.ok) analyze(parsed.graph);
        }
      }),
      { numRuns: 500 },
    );
  });
});
