import ELK from 'elkjs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../src/core/graph/document';
import { nodePosition, type Position } from '../../src/core/graph/edits';
import {
  applyLayout,
  computeLayout,
  estimatedSize,
  inputSlots,
  type GraphLayout,
} from '../../renderer/flow/graphLayout';
import { residualChain } from './residualChain';

// ELK for real, in-process (elkjs's Node entry runs its worker code on this thread).
const elk = new ELK();
const W = 210; // every node's width (CSS)
const TEMPLATES = join(__dirname, '../../templates');

const template = (file: string) =>
  JSON.parse(readFileSync(join(TEMPLATES, file), 'utf8')) as GraphDocument;

/** The box of every node: its layout position and the size the layout assumed. */
function boxes(doc: GraphDocument, layout: GraphLayout) {
  return new Map(
    doc.nodes.map((n) => {
      const p = layout.positions.get(n.id) ?? { x: NaN, y: NaN };
      return [n.id, { ...p, ...estimatedSize(n) }] as const;
    }),
  );
}

/** Every pair of node boxes that overlap (none, in a good layout). */
function overlaps(doc: GraphDocument, layout: GraphLayout): string[] {
  const sorted = [...boxes(doc, layout)].sort(([, a], [, b]) => a.y - b.y);
  const found: string[] = [];
  sorted.forEach(([a, p], i) => {
    for (const [b, q] of sorted.slice(i + 1)) {
      if (q.y >= p.y + p.height) break;
      if (Math.abs(p.x - q.x) < W) found.push(`${a} × ${b}`);
    }
  });
  return found;
}

/** Edges whose target is not below its source: the data must flow down the screen. */
function upstream(doc: GraphDocument, layout: GraphLayout): string[] {
  const box = boxes(doc, layout);
  return doc.edges
    .filter((e) => {
      const [s, t] = [box.get(e.source), box.get(e.target)];
      return !s || !t || !(t.y >= s.y + s.height);
    })
    .map((e) => `${e.source} → ${e.target}`);
}

describe('automatic layout (elkjs, layered)', () => {
  const files = readdirSync(TEMPLATES).filter((f) => f.endsWith('.nnb.json'));

  it.each(files)('%s: every node placed, no boxes overlap, data flows down', async (file) => {
    const doc = template(file);
    const layout = await computeLayout(elk, doc);
    expect([...layout.positions.keys()].sort()).toEqual(doc.nodes.map((n) => n.id).sort());
    expect(overlaps(doc, layout)).toEqual([]);
    expect(upstream(doc, layout)).toEqual([]);
  });

  it('stacks the ResNet-18 template in one straight column, in data-flow order', async () => {
    const doc = template('resnet-18.nnb.json');
    const { positions } = await computeLayout(elk, doc);
    const order = [...positions].sort(([, a], [, b]) => a.y - b.y).map(([id]) => id);
    expect(order).toEqual(doc.nodes.map((n) => n.id));
    expect(new Set([...positions.values()].map((p) => p.x)).size).toBe(1);
  });

  it('puts the skip path of a residual block beside its main path', async () => {
    const doc = residualChain(5);
    const layout = await computeLayout(elk, doc);
    const at = (id: string) => layout.positions.get(id) as Position;
    // Main path: straight down, from the block's input through the convolutions into Add.
    const main = ['b3_relu2', 'b4_conv1', 'b4_bn1', 'b4_relu1', 'b4_conv2', 'b4_bn2', 'b4_add'];
    expect(new Set(main.map((id) => at(id).x)).size).toBe(1);
    // Downsampling skip path: its conv and BatchNorm sit beside the main path, between the
    // block's input and Add, one above the other.
    for (const id of ['b4_down', 'b4_down_bn']) {
      expect(at(id).y).toBeGreaterThan(at('b3_relu2').y);
      expect(at(id).y).toBeLessThan(at('b4_add').y);
      expect(Math.abs(at(id).x - at('b4_conv1').x)).toBeGreaterThanOrEqual(W);
    }
    expect(at('b4_down_bn').y).toBeGreaterThan(at('b4_down').y);
    // Identity skip: the edge is routed down beside the block's nodes, not through them.
    const route = layout.routes.get('stem->b0_add#7') ?? [];
    const bn2 = doc.nodes.find((n) => n.id === 'b0_bn2') ?? doc.nodes[0]!;
    const [top, bottom] = [at('b0_conv1').y, at('b0_bn2').y + estimatedSize(bn2).height];
    const x = at('b0_conv1').x;
    const alongside = route.slice(1).filter((q, i) => {
      const p = route[i] as Position;
      return p.x === q.x && Math.min(p.y, q.y) <= top && Math.max(p.y, q.y) >= bottom;
    });
    expect(alongside.map((q) => q.x < x || q.x > x + W)).toEqual([true]);
  });

  it('keeps a 500-node network overlap-free, every node placed, data flowing down', async () => {
    const doc = residualChain(67);
    expect(doc.nodes.length).toBeGreaterThanOrEqual(500);
    const layout = await computeLayout(elk, doc);
    expect(layout.positions.size).toBe(doc.nodes.length);
    expect(overlaps(doc, layout)).toEqual([]);
    expect(upstream(doc, layout)).toEqual([]);
  });

  it("places Concat's inputs in port order, first on the left", async () => {
    for (const [first, second] of [
      ['a', 'b'],
      ['b', 'a'],
    ] as const) {
      const doc: GraphDocument = {
        format: 'nnb-graph',
        version: 1,
        nodes: ['in', 'a', 'b', 'cat'].map((id) => ({ id, type: 'ReLU' })),
        edges: [
          { source: 'in', target: 'a' },
          { source: 'in', target: 'b' },
          { source: second, target: 'cat', targetPort: 1 },
          { source: first, target: 'cat', targetPort: 0 },
        ],
      };
      const { positions } = await computeLayout(elk, doc);
      expect(positions.get(first)?.y).toBe(positions.get(second)?.y);
      expect(positions.get(first)?.x ?? 0).toBeLessThan(positions.get(second)?.x ?? 0);
    }
  });
});

describe('input slots', () => {
  it('number edges as the analysis does: explicit ports first, the rest in edge order', () => {
    expect(
      inputSlots([
        { source: 'a', target: 'cat' },
        { source: 'b', target: 'cat', targetPort: 0 },
        { source: 'c', target: 'cat' },
        { source: 'c', target: 'relu' },
      ]),
    ).toEqual([1, 0, 2, 0]);
  });
});

describe('applying a layout that arrives after edits', () => {
  const base: GraphDocument = {
    format: 'nnb-graph',
    version: 1,
    nodes: ['a', 'b', 'c'].map((id) => ({ id, type: 'ReLU', ui: { x: 0, y: 0 } })),
    edges: [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'c' },
    ],
  };
  const layout: GraphLayout = {
    positions: new Map([
      ['a', { x: 0, y: 0 }],
      ['b', { x: 0, y: 200 }],
      ['c', { x: 0, y: 400 }],
    ]),
    routes: new Map(),
  };

  it('moves untouched nodes; the same layout again changes nothing', () => {
    const laid = applyLayout(base, base, layout);
    expect(laid.nodes.map((n) => nodePosition(n))).toEqual([...layout.positions.values()]);
    expect(applyLayout(laid, laid, layout)).toBe(laid);
  });

  it('keeps what the user did meanwhile: a dragged node, a new node, a deleted one', () => {
    const current: GraphDocument = {
      ...base,
      nodes: [
        { id: 'a', type: 'ReLU', ui: { x: 0, y: 0 } },
        { id: 'b', type: 'ReLU', ui: { x: 90, y: 90 } },
        { id: 'd', type: 'ReLU', ui: { x: 5, y: 5 } },
      ],
      edges: [{ source: 'a', target: 'b' }],
    };
    const laid = applyLayout(base, current, layout);
    expect(laid.nodes.map((n) => [n.id, nodePosition(n)])).toEqual([
      ['a', { x: 0, y: 0 }],
      ['b', { x: 90, y: 90 }],
      ['d', { x: 5, y: 5 }],
    ]);
  });
});
