import { describe, expect, it } from 'vitest';
import { budgetResults } from '../../renderer/budgets/useBudgetResults';
import { createCompareStore } from '../../renderer/compare/compareStore';
import { heatKey } from '../../renderer/heatmap/heatPalette';
import { createEditorStore } from '../../renderer/store/editorStore';
import { budgetRows, commonBudgets } from '../../src/core/budgets/budgetRows';
import { setBudget } from '../../src/core/budgets/budgets';
import type { GraphDocument } from '../../src/core/graph/document';
import lenet from '../../templates/lenet-5.nnb.json';

const LENET = lenet as unknown as GraphDocument;

describe('budgets in the editor store', () => {
  it('are document edits: live results, one undo step per field, saved with the graph', () => {
    const store = createEditorStore(LENET);
    const s = () => store.getState();
    s().setBudget('params', 6);
    s().setBudget('params', 60);
    s().setBudget('params', 60000);
    expect(s().doc.budgets).toEqual({ params: { max: 60000 } });
    expect(budgetResults(s().doc, s().analysis).map((r) => r.status)).toEqual(['fail']);
    s().setBudget('receptiveField', 28);
    expect(budgetResults(s().doc, s().analysis).map((r) => r.status)).toEqual(['fail', 'pass']);
    s().undo();
    expect(s().doc.budgets).toEqual({ params: { max: 60000 } });
    s().undo();
    expect(s().doc.budgets).toBeUndefined();
  });

  it('results are the same array until the document or its analysis changes', () => {
    const store = createEditorStore(LENET);
    const { doc, analysis } = store.getState();
    // A selector must not hand back a new value each call (React would render forever).
    expect(budgetResults(doc, analysis)).toBe(budgetResults(doc, analysis));
    store.getState().setBudget('macs', 1);
    const next = store.getState();
    expect(budgetResults(next.doc, next.analysis)).toBe(budgetResults(next.doc, next.analysis));
  });
});

describe('budgets in the compare view', () => {
  it('one field sets every variant’s budget; each variant passes or fails on its own numbers', () => {
    const store = createCompareStore();
    const small = setBudget(LENET, 'params', 1);
    store.getState().startFrom(small, 'LeNet-5');
    store.getState().addVariant(LENET, 'LeNet-5');
    expect(commonBudgets(store.getState().doc.variants.map((v) => v.graph)).params).toBe('mixed');
    store.getState().setBudget('params', 62000);
    const graphs = store.getState().doc.variants.map((v) => v.graph);
    expect(commonBudgets(graphs)).toMatchObject({ params: 62000, macs: undefined });
    const rows = budgetRows([...graphs, LENET]);
    expect(rows.map((r) => r.kind)).toEqual(['params']);
    expect(rows[0]?.cells.map((c) => c?.status ?? null)).toEqual(['pass', 'pass', null]);
  });
});

describe('heatKey', () => {
  it('is a primitive per node: share and palette step', () => {
    const store = createEditorStore(LENET);
    const { analysis } = store.getState();
    expect(heatKey(analysis, 'macs', 'conv2')).toBe(`${240000 / 416520}|5`);
    expect(heatKey(analysis, 'macs', 'relu1')).toBe('0|-1');
    expect(heatKey(analysis, 'time', 'conv2')).toBeNull();
  });
});
