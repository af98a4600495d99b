import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GRAPH_VERSION } from '../../../src/core/graph/document.js';
import { migrateDocument, V1_BUDGETS_KEY } from '../../../src/core/graph/migrations.js';
import { parseGraphJson } from '../../../src/core/graph/parseGraph.js';

const read = (path: string) => readFileSync(path, 'utf8');
const v1 = (extra: Record<string, unknown> = {}) => ({
  format: 'nnb-graph',
  version: 1,
  name: 'old',
  nodes: [{ id: 'input', type: 'Input', params: { shape: [1, 28, 28] } }],
  edges: [],
  ...extra,
});

describe('graph format version 2 (budgets)', () => {
  it('is the current version', () => expect(GRAPH_VERSION).toBe(2));

  it('opens a released version-1 template unchanged but for the version', () => {
    const text = read('templates/lenet-5.nnb.json');
    const parsed = parseGraphJson(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.graph).toEqual({ ...JSON.parse(text), version: 2 });
    expect(parsed.graph.budgets).toBeUndefined();
  });

  it('moves a version-1 file’s own "budgets" field aside, so the file still opens', () => {
    const text = read('test/fixtures/graph-v1/own-budgets-field.nnb.json');
    const parsed = parseGraphJson(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { budgets, ...rest } = JSON.parse(text);
    expect(parsed.graph).toEqual({ ...rest, version: 2, [V1_BUDGETS_KEY]: budgets });
    expect(parsed.graph.budgets).toBeUndefined();
  });

  it('keeps a version-1 "budgets" field that already reads as budgets', () => {
    const budgets = { params: { max: 60000 } };
    expect(migrateDocument(v1({ budgets }), 1)).toEqual({ ...v1(), version: 2, budgets });
  });

  it('leaves a current document as it is (the same object)', () => {
    const doc = { ...v1(), version: 2, budgets: { macs: { max: 5 } } };
    expect(migrateDocument(doc, 2)).toBe(doc);
  });

  it('reads version-2 budgets and keeps keys it does not know', () => {
    const budgets = { params: { max: 62000 }, receptiveField: { min: 28 }, latency: { max: 3 } };
    const parsed = parseGraphJson(JSON.stringify({ ...v1(), version: 2, budgets }));
    expect(parsed.ok && parsed.graph.budgets).toEqual(budgets);
  });

  it.each([
    ['"tight"', '"budgets" must be an object'],
    ['{"params": 60000}', 'budgets.params must be an object such as {"max": 60000}'],
    ['{"params": {"min": 5}}', 'budgets.params.max must be a number ≥ 0'],
    ['{"receptiveField": {"min": -1}}', 'budgets.receptiveField.min must be a number ≥ 0'],
    ['{"macs": {"max": "1M"}}', 'budgets.macs.max must be a number ≥ 0'],
  ])('refuses version-2 budgets %s naming the path', (budgets, message) => {
    const text = `{"format": "nnb-graph", "version": 2, "nodes": [], "edges": [], "budgets": ${budgets}}`;
    const parsed = parseGraphJson(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });

  it('refuses version 3 as made by a newer NN Builder', () => {
    const parsed = parseGraphJson(JSON.stringify({ ...v1(), version: 3 }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain('reads versions up to 2');
  });
});
