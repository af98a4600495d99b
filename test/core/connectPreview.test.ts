import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import { previewConnection, previewSplice } from '../../src/core/analysis/connectPreview.js';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { applyFix } from '../../src/core/graph/edits.js';
import { wireInto } from '../../src/core/graph/wiring.js';
import { formatShape } from '../../src/core/shape.js';
import { graph } from '../helpers.js';

const template = (name: string) =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, '../../templates', `${name}.nnb.json`), 'utf8'),
  ) as GraphDocument;
const LENET = template('lenet-5');
const RESNET = template('resnet-cifar');
const lenet = analyze(LENET);
const preview = (source: string, target: string, g = LENET) =>
  previewConnection(g, g === LENET ? lenet : analyze(g), source, target);

describe('previewConnection', () => {
  it.each([
    ['conv2', 'relu3', '16×10×10', 'fc1'], // ReLU takes any shape; replaces fc1 → relu3
    ['conv2', 'pool2', '16×5×5', 'relu2'],
    ['flatten', 'fc2', '84', 'relu3'], // a flat vector into Linear: fine
    ['conv1', 'conv2', '16×24×24', 'pool1'],
  ])('%s → %s: the target would output %s (replacing the input from %s)', (s, t, shape, old) => {
    const p = preview(s, t);
    expect(p).toMatchObject({ compatible: true, text: shape, replaces: old });
  });

  it('names why Linear cannot take a feature map, with the Flatten fix', () => {
    const p = preview('conv2', 'fc1');
    expect(p.compatible).toBe(false);
    expect(p.text).toBe(
      'Linear "fc1" expects a flat input but receives 16×10×10 — insert Flatten before it.',
    );
    expect(!p.compatible && p.fix).toMatchObject({
      kind: 'insert-node',
      nodeType: 'Flatten',
      source: 'conv2',
      target: 'fc1',
    });
  });

  it('offers the fix the analysis offers once the wire is dropped, and the fix repairs it', () => {
    const p = preview('conv2', 'fc1');
    const wired = wireInto(LENET, 'conv2', 'fc1');
    if (!wired.ok || p.compatible || p.fix === null) throw new Error('expected a fixable preview');
    const dropped = analyze(wired.graph);
    expect(dropped.nodes.get('fc1')?.diagnostics[0]?.fix).toEqual(p.fix);
    const fixed = analyze(applyFix(wired.graph, p.fix));
    expect(fixed.hasErrors).toBe(false);
    expect(fixed.nodes.get('flatten1')?.outputShape).toEqual([1600]);
    expect(fixed.nodes.get('fc1')?.outputShape).toEqual([120]);
  });

  it.each([
    ['conv2', 'conv1', 'cycle', 'would make a cycle'],
    ['conv2', 'conv2', 'self-loop', 'cannot feed its own input'],
    ['pool1', 'conv2', 'duplicate', 'is already connected'],
    ['conv2', 'input', 'network-input', 'is a network input'],
  ])('%s → %s is refused (%s): %s', (s, t, code, reason) => {
    const p = preview(s, t);
    expect(p).toMatchObject({ compatible: false, refusal: code, fix: null });
    expect(p.text).toContain(reason);
  });

  it('previews an Add joining branches: equal shapes join, unequal ones get a 1×1 projection', () => {
    const g = graph(
      [
        ['input', 'Input', { shape: [3, 32, 32] }],
        ['a', 'Conv2d', { out_channels: 16, kernel_size: 3, padding: 1 }],
        ['b', 'Conv2d', { out_channels: 32, kernel_size: 3, padding: 1, stride: 2 }],
        ['c', 'Conv2d', { out_channels: 16, kernel_size: 1 }],
        ['add', 'Add'],
      ],
      ['input->a', 'input->b', 'input->c', 'a->add'],
    );
    expect(preview('c', 'add', g)).toMatchObject({ compatible: true, text: '16×32×32' });
    const p = preview('b', 'add', g);
    expect(p.compatible).toBe(false);
    expect(!p.compatible && p.fix).toMatchObject({
      kind: 'insert-node',
      nodeType: 'Conv2d',
      params: { out_channels: 32, kernel_size: 1, stride: 2 },
    });
  });

  it('offers to set in_features when a stated one disagrees with the new input', () => {
    const g = graph(
      [
        ['input', 'Input', { shape: [400] }],
        ['wide', 'Input', { shape: [84] }],
        ['fc', 'Linear', { in_features: 400, out_features: 10 }],
      ],
      ['input->fc'],
    );
    const p = preview('wide', 'fc', g);
    expect(p.compatible).toBe(false);
    expect(!p.compatible && p.fix).toMatchObject({
      kind: 'set-param',
      node: 'fc',
      param: 'in_features',
      value: 84,
    });
  });

  it('says when the source has no known output yet', () => {
    const g = graph(
      [
        ['input', 'Input'],
        ['loose', 'Conv2d', { out_channels: 4, kernel_size: 3 }],
        ['relu', 'ReLU'],
      ],
      ['input->relu'],
    );
    expect(preview('loose', 'relu', g)).toMatchObject({
      compatible: false,
      text: expect.stringContaining('output of Conv2d "loose" is not known yet'),
    });
  });

  it('agrees with analysing the whole wired graph, for every pair of two templates', () => {
    for (const g of [LENET, RESNET]) {
      const a = analyze(g);
      for (const s of g.nodes)
        for (const t of g.nodes) {
          const p = previewConnection(g, a, s.id, t.id);
          const wired = wireInto(g, s.id, t.id);
          if (!wired.ok) {
            expect(p).toEqual({
              compatible: false,
              text: wired.reason,
              fix: null,
              refusal: wired.code,
            });
            continue;
          }
          if (a.nodes.get(s.id)?.outputShape == null) continue;
          const full = analyze(wired.graph);
          const error = full.diagnostics.find(
            (d) => d.severity === 'error' && (d.node === t.id || d.node?.startsWith(`${t.id}/`)),
          );
          const shape = full.nodes.get(t.id)?.outputShape;
          if (error)
            expect(p, `${s.id} → ${t.id}`).toEqual({
              compatible: false,
              text: error.message,
              fix: error.fix ?? null,
              refusal: null,
            });
          else expect(p.text, `${s.id} → ${t.id}`).toBe(formatShape(shape ?? []));
        }
    }
  });

  it('never throws on a hostile graph', () => {
    const bad = {
      format: 'nnb-graph',
      version: 1,
      nodes: [
        { id: 'x', type: 'Nope' },
        { id: 'y', type: 'Linear', params: { out_features: -1 } },
      ],
      edges: [{ source: 'x', target: 'zzz' }],
    } as unknown as GraphDocument;
    const a = analyze(bad);
    for (const [s, t] of [
      ['x', 'y'],
      ['y', 'x'],
      ['missing', 'y'],
      ['x', 'missing'],
    ] as const)
      expect(previewConnection(bad, a, s, t).compatible).toBe(false);
  });
});

describe('previewSplice', () => {
  const index = (g: GraphDocument, s: string, t: string) =>
    g.edges.findIndex((e) => e.source === s && e.target === t);

  it('splices a layer into an edge and reads its output shape', () => {
    const i = index(LENET, 'pool2', 'flatten');
    const r = previewSplice(LENET, i, 'Conv2d', { x: 5, y: 6 });
    expect(r.id).toBe('conv3');
    expect(r.preview).toMatchObject({ compatible: true, text: 'Conv2d → 16×3×3' });
    const a = analyze(r.graph!);
    expect(a.nodes.get('conv3')?.sources).toEqual(['pool2']);
    expect(a.nodes.get('flatten')?.sources).toEqual(['conv3']);
    expect(a.nodes.get('flatten')?.outputShape).toEqual([144]);
    expect(a.hasErrors).toBe(false);
  });

  it('reports the error the splice makes downstream, with its fix', () => {
    // A Conv2d between Flatten and fc1 receives a flat vector.
    const r = previewSplice(LENET, index(LENET, 'flatten', 'fc1'), 'Conv2d');
    expect(r.preview.compatible).toBe(false);
    expect(r.preview.text).toContain('Conv2d "conv3"');
  });

  it('reports an error on the old target, e.g. Flatten spliced before a conv', () => {
    const r = previewSplice(LENET, index(LENET, 'pool1', 'conv2'), 'Flatten');
    expect(r.preview).toMatchObject({ compatible: false });
    expect(r.preview.text).toContain('Conv2d "conv2"');
  });

  it.each([
    [-1, 'ReLU', 'No such edge'],
    [999, 'ReLU', 'No such edge'],
    [0.5, 'ReLU', 'No such edge'],
    [0, 'Input', 'cannot go on an edge'],
    [0, 'Bogus', 'Unknown layer type'],
  ])('edge %s, type %s: nothing spliced (%s)', (i, type, reason) => {
    const r = previewSplice(LENET, i, type);
    expect(r.graph).toBeNull();
    expect(r.preview.text).toContain(reason);
  });
});
