import ELK from 'elkjs';
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../src/core/graph/document';
import { nodePosition } from '../../src/core/graph/edits';
import { computeLayout, needsLayout } from '../../renderer/flow/graphLayout';
import { createEditorStore, isDirty, type LayoutEngine } from '../../renderer/store/editorStore';
import lenet from '../../templates/lenet-5.nnb.json';
import { residualChain } from './residualChain';

const LENET = lenet as unknown as GraphDocument;
const elk = new ELK();
const engine: LayoutEngine = (doc) => computeLayout(elk, doc);
const positions = (doc: GraphDocument) =>
  Object.fromEntries(doc.nodes.map((n) => [n.id, nodePosition(n)]));

describe('the store with the automatic layout', () => {
  it('opens a template laid out by ELK, clean, in one history step', async () => {
    const store = createEditorStore(undefined, { layoutEngine: engine });
    const before = store.getState().doc;
    const opening = store.getState().load(LENET, { name: 'lenet-5.nnb.json', path: null });
    expect(store.getState().layingOut).toBe(true);
    await opening;
    const s = store.getState();
    expect(needsLayout(s.doc)).toBe(false);
    const elkSays = (await engine(LENET)).positions;
    expect(positions(s.doc)).toEqual(Object.fromEntries(elkSays));
    const ys = s.doc.nodes.map((n) => nodePosition(n)?.y ?? NaN);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    expect(isDirty(s)).toBe(false);
    expect(s.layingOut).toBe(false);
    s.undo();
    expect(store.getState().doc).toBe(before);
  });

  it('lays out as one undo step that brings back the previous positions', async () => {
    const store = createEditorStore(undefined, { layoutEngine: engine });
    await store.getState().load(residualChain(3), { name: 'r.nnb.json', path: null });
    store.getState().moveNodes(new Map([['b1_conv1', { x: 900, y: 40 }]]), true);
    const shuffled = store.getState().doc;
    const steps = store.getState().history.past.length;
    await store.getState().layout();
    expect(store.getState().history.past.length).toBe(steps + 1);
    expect(nodePosition(store.getState().doc.nodes.find((n) => n.id === 'b1_conv1')!)).not.toEqual({
      x: 900,
      y: 40,
    });
    // The edges get ELK's routes (kept beside the document), the skip edge among them.
    expect(store.getState().edgeRoutes.get('b0_relu2->b1_add#15')?.length).toBeGreaterThan(2);
    store.getState().undo();
    expect(store.getState().doc).toBe(shuffled);
    // Laying out a laid-out graph changes nothing and adds no step.
    store.getState().redo();
    const laid = store.getState().doc;
    await store.getState().layout();
    expect(store.getState().doc).toBe(laid);
  });

  it('keeps the edits made while the layout runs', async () => {
    const store = createEditorStore(undefined, { layoutEngine: engine });
    await store.getState().load(residualChain(2), { name: 'r.nnb.json', path: null });
    store.getState().moveNodes(new Map([['b0_bn1', { x: 700, y: 0 }]]), true);
    const running = store.getState().layout();
    const added = store.getState().addNode('ReLU', { x: 1234, y: 5678 });
    store.getState().moveNodes(new Map([['b0_conv2', { x: -500, y: 10 }]]), true);
    store.getState().select(['b1_relu1']);
    store.getState().deleteSelection();
    await running;
    const doc = store.getState().doc;
    const at = (id: string) => nodePosition(doc.nodes.find((n) => n.id === id)!);
    expect(at(added)).toEqual({ x: 1234, y: 5678 });
    expect(at('b0_conv2')).toEqual({ x: -500, y: 10 });
    expect(doc.nodes.some((n) => n.id === 'b1_relu1')).toBe(false);
    expect(at('b0_bn1')).not.toEqual({ x: 700, y: 0 });
    // Undo takes back the layout alone; the deletion made meanwhile is still there.
    store.getState().undo();
    const undone = store.getState().doc;
    expect(nodePosition(undone.nodes.find((n) => n.id === 'b0_bn1')!)).toEqual({ x: 700, y: 0 });
    expect(undone.nodes.some((n) => n.id === 'b1_relu1')).toBe(false);
  });

  it('drops a layout when a document was opened meanwhile, even the same one again', async () => {
    const store = createEditorStore(undefined, { layoutEngine: engine });
    await store.getState().load(residualChain(2), { name: 'r.nnb.json', path: null });
    store.getState().moveNodes(new Map([['stem', { x: 700, y: 0 }]]), true);
    const shuffled = store.getState().doc;
    const running = store.getState().layout();
    await store.getState().load(shuffled, { name: 'r.nnb.json', path: null });
    await running;
    expect(store.getState().doc).toBe(shuffled);
    expect(store.getState().layingOut).toBe(false);
  });

  it('says so when the layout fails, and stacks the nodes instead', async () => {
    const broken: LayoutEngine = () => Promise.reject(new Error('the layout worker stopped'));
    const store = createEditorStore(undefined, { layoutEngine: broken });
    await store.getState().load(LENET, { name: 'lenet-5.nnb.json', path: null });
    expect(needsLayout(store.getState().doc)).toBe(false);
    expect(store.getState().notice?.text).toContain('the layout worker stopped');
  });
});
