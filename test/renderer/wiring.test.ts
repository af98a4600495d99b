import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../src/core/graph/document';
import { nodePosition } from '../../src/core/graph/edits';
import { connectPreviewFor, splicePreviewFor } from '../../renderer/flow/editPreviews';
import { edgeIndex } from '../../renderer/flow/edgeIndex';
import { makeRoom } from '../../renderer/flow/makeRoom';
import { REFUSALS, withoutTitle } from '../../renderer/flow/previewText';
import { createEditorStore } from '../../renderer/store/editorStore';

const LENET = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../templates/lenet-5.nnb.json'), 'utf8'),
) as GraphDocument;
const SIZE = { width: 210, height: 60 };
let store = createEditorStore();
const s = () => store.getState();
const edges = () => s().doc.edges.map((e) => `${e.source}->${e.target}`);
const key = (source: string, target: string) => {
  const i = s().doc.edges.findIndex((e) => e.source === source && e.target === target);
  return `${source}->${target}#${i}`;
};
const y = (id: string) => nodePosition(s().doc.nodes.find((n) => n.id === id)!)!.y;

beforeEach(() => {
  // Stacked one column, 130 px apart (stackUnplaced), nodes 60 px tall.
  store = createEditorStore(LENET, { nodeSize: () => SIZE });
});

describe('wiring in the editor store', () => {
  it('a wire dropped on a one-input node replaces its input, selects it, one undo step', () => {
    expect(s().wire('conv2', 'fc1')).toBe(true);
    expect(edges()).toContain('conv2->fc1');
    expect(edges()).not.toContain('flatten->fc1');
    expect(s().selection).toEqual(['fc1']);
    expect(s().analysis.nodes.get('fc1')?.diagnostics[0]?.code).toBe('needs-flatten');
    s().undo();
    expect(edges()).toContain('flatten->fc1');
    expect(s().analysis.hasErrors).toBe(false);
  });

  it('a refused wire changes nothing and says why', () => {
    const before = s().doc;
    expect(s().wire('conv2', 'conv1')).toBe(false);
    expect(s().doc).toBe(before);
    expect(s().notice?.text).toContain('would make a cycle');
  });

  it('the Flatten fix after the drop gets room between conv2 and fc1', () => {
    s().wire('conv2', 'fc1');
    const fix = s().analysis.nodes.get('fc1')?.diagnostics[0]?.fix;
    s().applyFix(fix!);
    expect(s().analysis.hasErrors).toBe(false);
    expect(s().analysis.nodes.get('flatten1')?.outputShape).toEqual([1600]);
    // One gap (56) below conv2, and the rows below it moved down to keep that gap after it.
    expect(y('flatten1')).toBe(y('conv2') + 60 + 56);
    expect(y('relu2')).toBe(y('flatten1') + 60 + 56);
  });

  it('a palette item dropped on an edge is spliced in, shapes recomputed, rows below moved', () => {
    const below = y('conv2');
    const id = s().spliceEdge(key('pool1', 'conv2'), 'MaxPool2d', { x: 400, y: 0 });
    expect(id).toBe('pool3');
    expect(edges()).toEqual(expect.arrayContaining(['pool1->pool3', 'pool3->conv2']));
    expect(s().analysis.nodes.get('pool3')?.outputShape).toEqual([6, 7, 7]);
    expect(s().analysis.nodes.get('conv2')?.outputShape).toEqual([16, 3, 3]);
    expect(s().selection).toEqual(['pool3']);
    expect(y('conv2')).toBeGreaterThan(below);
    s().undo();
    expect(edges()).toContain('pool1->conv2');
  });

  it.each([
    ['an Input', 'pool1->conv2#3', 'Input'],
    ['a stale edge id', 'pool1->conv2#0', 'ReLU'],
    ['a malformed edge id', 'pool1->conv2', 'ReLU'],
    ['an unknown type', 'pool1->conv2#3', 'Bogus'],
  ])('%s is not spliced', (_, edge, type) => {
    const before = s().doc;
    expect(s().spliceEdge(edge, type, { x: 0, y: 0 })).toBeNull();
    expect(s().doc).toBe(before);
  });
});

describe('previews for the canvas', () => {
  it('are worked out once per analysis: the same object until the graph changes', () => {
    const a = connectPreviewFor(s().doc, s().analysis, 'conv2', 'fc1');
    expect(connectPreviewFor(s().doc, s().analysis, 'conv2', 'fc1')).toBe(a);
    expect(a.compatible).toBe(false);
    const splice = splicePreviewFor(s().doc, s().analysis, key('pool1', 'conv2'), 'MaxPool2d');
    expect(splice).toMatchObject({ compatible: true, text: 'MaxPool2d → 6×7×7' });
    s().setParam('conv2', 'out_channels', 8);
    expect(connectPreviewFor(s().doc, s().analysis, 'conv2', 'fc1')).not.toBe(a);
    expect(connectPreviewFor(s().doc, s().analysis, 'conv2', 'fc1').text).toContain('8×10×10');
  });

  it('read edge ids only when they name the edge at that index', () => {
    expect(edgeIndex(LENET, 'input->conv1#0')).toBe(0);
    expect(edgeIndex(LENET, 'input->conv1#1')).toBe(-1);
    expect(edgeIndex(LENET, 'input->conv1#')).toBe(-1);
    expect(edgeIndex(LENET, 'input->conv1#-0')).toBe(-1);
    expect(edgeIndex(LENET, '')).toBe(-1);
  });

  it("drop the node's own title from a message its header already shows", () => {
    expect(withoutTitle('Linear "fc1" expects a flat input.', 'Linear "fc1"')).toBe(
      'Expects a flat input.',
    );
    expect(withoutTitle('Linear "fc1": in_features is 5', 'Linear "fc1"')).toBe('In_features is 5');
    expect(withoutTitle('Other text', 'Linear "fc1"')).toBe('Other text');
    expect(withoutTitle('Linear "fc1"', 'Linear "fc1"')).toBe('Linear "fc1"');
    expect(REFUSALS.cycle).toBe('Would make a cycle');
  });
});

describe('makeRoom', () => {
  const column = (ids: string[], gap: number): GraphDocument => ({
    format: 'nnb-graph',
    version: 1,
    nodes: ids.map((id, i) => ({ id, type: 'ReLU', ui: { x: 0, y: i * gap } })),
    edges: ids.slice(1).map((id, i) => ({ source: ids[i] ?? '', target: id })),
  });
  const at = (doc: GraphDocument, id: string) => nodePosition(doc.nodes.find((n) => n.id === id)!);

  it('leaves a gap that already fits the node alone, apart from placing it', () => {
    const doc = column(['a', 'n', 'b'], 200);
    const out = makeRoom(doc, 'n', () => SIZE);
    expect(at(out, 'n')).toEqual({ x: 0, y: 116 });
    expect(at(out, 'b')).toEqual({ x: 0, y: 400 });
  });

  it('moves the rows below A down when the node does not fit', () => {
    const doc = column(['a', 'n', 'b', 'c'], 100);
    const out = makeRoom(doc, 'n', () => SIZE);
    expect(at(out, 'n')).toEqual({ x: 0, y: 116 });
    expect(at(out, 'b')).toEqual({ x: 0, y: 232 });
    expect(at(out, 'c')).toEqual({ x: 0, y: 332 });
  });

  it('leaves nodes without neighbours, or without positions, where they are', () => {
    const doc = column(['a', 'n'], 100);
    expect(makeRoom(doc, 'n', () => SIZE)).toBe(doc);
    expect(makeRoom(doc, 'missing', () => SIZE)).toBe(doc);
    const bare = { ...doc, nodes: doc.nodes.map(({ ui: _ui, ...n }) => n) };
    expect(makeRoom(bare, 'n', () => SIZE)).toBe(bare);
  });
});
