import { describe, expect, it } from 'vitest';
import { nodePosition } from '../../src/core/graph/edits';
import { createEditorStore } from '../../renderer/store/editorStore';

const LENET: [string, Record<string, number | number[]>?][] = [
  ['Input', { shape: [1, 28, 28] }],
  ['Conv2d', { out_channels: 6, kernel_size: 5, padding: 2 }],
  ['ReLU'],
  ['MaxPool2d', { kernel_size: 2 }],
  ['Conv2d', { out_channels: 16, kernel_size: 5 }],
  ['ReLU'],
  ['MaxPool2d', { kernel_size: 2 }],
  ['Flatten'],
  ['Linear', { out_features: 120 }],
  ['ReLU'],
  ['Linear', { out_features: 84 }],
  ['ReLU'],
  ['Linear', { out_features: 10 }],
];

describe('building from the keyboard (store)', () => {
  it('adds each layer after the selected one, wired, one undo step each: LeNet-5', () => {
    const store = createEditorStore();
    const s = () => store.getState();
    for (const [type, params] of LENET) {
      const id = s().addAfterSelection(type, { x: 0, y: 0 });
      expect(s().selection).toEqual([id]);
      for (const [name, value] of Object.entries(params ?? {})) s().setParam(id, name, value);
    }
    expect(s().doc.edges).toHaveLength(12);
    expect(s().analysis.totals).toMatchObject({ params: 61_706, macs: 416_520 });
    expect(s().analysis.diagnostics).toEqual([]);
    // Each node is placed below the one it follows: a column, nothing on top of another.
    const ys = s().doc.nodes.map((n) => nodePosition(n)?.y ?? NaN);
    expect(ys.every((y, i) => i === 0 || y > (ys[i - 1] as number))).toBe(true);

    // Undo takes back fc3's out_features, then fc3 itself with its edge, in one step.
    s().undo();
    s().undo();
    expect(s().doc.nodes).toHaveLength(12);
    expect(s().doc.edges).toHaveLength(11);
  });

  it('inserts into the middle of a chain, making room below', () => {
    const store = createEditorStore();
    const s = () => store.getState();
    const input = s().addAfterSelection('Input', { x: 0, y: 0 });
    const flat = s().addAfterSelection('Flatten', { x: 0, y: 0 });
    const yFlat = nodePosition(s().doc.nodes[1]!)!.y;
    s().select([input]);
    const pool = s().addAfterSelection('MaxPool2d', { x: 0, y: 0 });
    expect(s().doc.edges).toEqual([
      { source: input, target: pool },
      { source: pool, target: flat },
    ]);
    const y = (id: string) => nodePosition(s().doc.nodes.find((n) => n.id === id)!)!.y;
    expect(y(pool)).toBeGreaterThan(y(input));
    expect(y(flat)).toBeGreaterThan(Math.max(yFlat, y(pool)));
  });

  it('moves the selection along edges with the arrow steps', () => {
    const store = createEditorStore();
    const s = () => store.getState();
    for (const [type] of LENET.slice(0, 4)) s().addAfterSelection(type, { x: 0, y: 0 });
    s().select([]);
    s().selectAlong('next');
    expect(s().selection).toEqual(['input']);
    s().selectAlong('next');
    s().selectAlong('next');
    expect(s().selection).toEqual(['relu1']);
    s().selectAlong('previous');
    expect(s().selection).toEqual(['conv1']);
    s().selectAlong('previous');
    s().selectAlong('previous');
    expect(s().selection).toEqual(['input']);
    const steps = s().history.past.length;
    s().selectAlong('sibling-next');
    expect(s().selection).toEqual(['input']);
    // Selecting is not an edit.
    expect(s().history.past.length).toBe(steps);
  });
});
