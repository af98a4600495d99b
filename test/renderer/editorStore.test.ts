import { beforeEach, describe, expect, it } from 'vitest';
import { emptyGraph, type GraphDocument } from '../../src/core/graph/document';
import { nodePosition } from '../../src/core/graph/edits';
import { createEditorStore, isDirty } from '../../renderer/store/editorStore';
import lenet from '../../templates/lenet-5.nnb.json';

const LENET = lenet as unknown as GraphDocument;
let store = createEditorStore();
const s = () => store.getState();

beforeEach(() => {
  store = createEditorStore();
});

describe('editor store', () => {
  it('re-analyses on every edit, in the same call', () => {
    const input = s().addNode('Input', { x: 0, y: 0 });
    const conv = s().addNode('Conv2d', { x: 0, y: 150 });
    expect(s().connect(input, conv)).toBe(true);
    expect(s().analysis.nodes.get(conv)?.outputShape).toEqual([16, 26, 26]);
    s().setParam(conv, 'padding', 1);
    expect(s().analysis.nodes.get(conv)?.outputShape).toEqual([16, 28, 28]);
    expect(s().selection).toEqual([conv]);
  });

  it('opens layout-less files with the automatic layout, clean', () => {
    s().load(LENET, { name: 'lenet-5.nnb.json', path: null });
    expect(s().doc.nodes.every((n) => nodePosition(n) !== undefined)).toBe(true);
    expect(s().analysis.totals.params).toBe(61_706);
    expect(isDirty(s())).toBe(false);
    s().setParam('fc3', 'out_features', 12);
    expect(isDirty(s())).toBe(true);
    s().markSaved({ name: 'lenet-5.nnb.json', path: null });
    expect(isDirty(s())).toBe(false);
  });

  it('undoes and redoes, and typing in one field is one step', () => {
    s().load(LENET, { name: 'lenet-5.nnb.json', path: null });
    const opened = s().doc;
    s().setParam('fc1', 'out_features', 1);
    s().setParam('fc1', 'out_features', 12);
    s().setParam('fc1', 'out_features', 128);
    s().setParam('fc2', 'out_features', 80);
    s().undo();
    expect(s().doc.nodes.find((n) => n.id === 'fc2')?.params?.out_features).toBe(84);
    expect(s().doc.nodes.find((n) => n.id === 'fc1')?.params?.out_features).toBe(128);
    s().undo();
    expect(s().doc).toBe(opened);
    expect(isDirty(s())).toBe(false);
    s().redo();
    expect(s().analysis.nodes.get('fc1')?.outputShape).toEqual([128]);
    s().redo();
    s().redo();
    expect(s().doc.nodes.find((n) => n.id === 'fc2')?.params?.out_features).toBe(80);
  });

  it('replaces the document with an older version as one undoable edit, keeping the file', () => {
    s().load(LENET, { name: 'lenet-5.nnb.json', path: null });
    const opened = s().doc;
    s().setParam('fc1', 'out_features', 64);
    const edited = s().doc;
    s().replaceDocument(opened);
    expect(s().doc).toBe(opened);
    expect(s().analysis.totals.params).toBe(61_706);
    expect(s().file.name).toBe('lenet-5.nnb.json');
    expect(isDirty(s())).toBe(false); // the saved document is back
    s().undo();
    expect(s().doc).toBe(edited);
    expect(isDirty(s())).toBe(true);
  });

  it('undoing an open brings back the previous work and its file', () => {
    s().addNode('Input', { x: 0, y: 0 });
    const before = s().doc;
    s().load(LENET, { name: 'lenet-5.nnb.json', path: null });
    s().undo();
    expect(s().doc).toBe(before);
    expect(s().file.name).toBe('Untitled');
  });

  it('makes a whole drag one undo step, without re-running the analysis', () => {
    const id = s().addNode('ReLU', { x: 0, y: 0 });
    const analysis = s().analysis;
    const steps = s().history.past.length;
    s().moveNodes(new Map([[id, { x: 10, y: 0 }]]), false);
    s().moveNodes(new Map([[id, { x: 20, y: 0 }]]), false);
    s().moveNodes(new Map([[id, { x: 30, y: 0 }]]), true);
    expect(s().analysis).toBe(analysis);
    expect(s().history.past.length).toBe(steps + 1);
    s().undo();
    expect(nodePosition(s().doc.nodes[0]!)).toEqual({ x: 0, y: 0 });
  });

  it('refuses a bad connection with a notice, leaving the graph as it was', () => {
    const a = s().addNode('ReLU', { x: 0, y: 0 });
    const doc = s().doc;
    expect(s().connect(a, a)).toBe(false);
    expect(s().doc).toBe(doc);
    expect(s().notice).toMatchObject({
      kind: 'error',
      text: 'ReLU "relu1" cannot feed its own input.',
    });
    s().addNode('ReLU', { x: 0, y: 100 });
    expect(s().notice).toBeNull();
  });

  it('deletes, duplicates, copies and pastes the selection', () => {
    s().load(LENET, { name: 'lenet-5.nnb.json', path: null });
    s().select(['fc2', 'relu4']);
    s().duplicateSelection();
    expect(s().selection).toEqual(['fc4', 'relu5']);
    expect(s().doc.edges.at(-1)).toEqual({ source: 'fc4', target: 'relu5' });
    const fragment = s().copySelection();
    expect(fragment).not.toBeNull();
    s().paste(fragment!);
    s().paste(fragment!);
    expect(s().doc.nodes).toHaveLength(19);
    // The second paste of the same fragment cascades past the first instead of covering it.
    const at = (id: string) => nodePosition(s().doc.nodes.find((n) => n.id === id)!);
    const [first, second] = [at('fc5'), at('fc6')];
    expect(second).toEqual({ x: first!.x + 40, y: first!.y + 40 });
    s().select(['fc1']);
    s().deleteSelection();
    expect(s().doc.nodes.some((n) => n.id === 'fc1')).toBe(false);
    expect(s().doc.edges.some((e) => e.source === 'fc1' || e.target === 'fc1')).toBe(false);
    expect(s().selection).toEqual([]);
  });

  it('applies one-click fixes', () => {
    s().load(
      {
        ...emptyGraph(),
        nodes: [
          { id: 'input', type: 'Input' },
          { id: 'conv1', type: 'Conv2d', params: { out_channels: 4, kernel_size: 3 } },
          { id: 'fc1', type: 'Linear', params: { out_features: 10 } },
        ],
        edges: [
          { source: 'input', target: 'conv1' },
          { source: 'conv1', target: 'fc1' },
        ],
      },
      { name: 'x', path: null },
    );
    const fix = s().analysis.diagnostics.find((d) => d.fix)?.fix;
    s().applyFix(fix!);
    expect(s().analysis.hasErrors).toBe(false);
    s().undo();
    expect(s().analysis.hasErrors).toBe(true);
  });

  it('restores an autosaved session with its undo steps and dirty state', () => {
    const older = { ...LENET, name: 'older' };
    s().restoreSession({
      doc: LENET,
      file: { name: 'lenet-5.nnb.json', path: null },
      dirty: true,
      past: [older],
    });
    expect(isDirty(s())).toBe(true);
    s().undo();
    expect(s().doc.name).toBe('older');
  });

  it('renames, refusing names in use', () => {
    s().load(LENET, { name: 'lenet-5.nnb.json', path: null });
    s().select(['conv1']);
    expect(s().rename('conv1', 'stem')).toBeUndefined();
    expect(s().selection).toEqual(['stem']);
    expect(s().rename('stem', 'fc1')).toContain('already the name');
  });
});
