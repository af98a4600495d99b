import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/core/analysis/analyze.js';
import { compareGraphs } from '../../../src/core/compare/compareGraphs.js';
import {
  parseCompareJson,
  type CompareDocument,
} from '../../../src/core/compare/compareDocument.js';
import { TemplateIndexSchema } from '../../../src/api/EngineApi.js';

const dir = join(import.meta.dirname, '../../../templates');
const lessons = readdirSync(dir)
  .filter((f) => f.endsWith('.nnb-compare.json'))
  .sort();

function load(file: string): CompareDocument {
  const parsed = parseCompareJson(readFileSync(join(dir, file), 'utf8'));
  if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
  return parsed.doc;
}

describe('lesson comparisons in templates/', () => {
  it('has the four lessons of issue 6', () => {
    expect(lessons).toEqual([
      'lesson-7x7-vs-3x3.nnb-compare.json',
      'lesson-fc-vs-gap-head.nnb-compare.json',
      'lesson-overfitting-dropout.nnb-compare.json',
      'lesson-vanishing-gradients.nnb-compare.json',
    ]);
  });

  it.each(lessons)('%s: every variant analyses without errors and classifies digits', (file) => {
    const doc = load(file);
    expect(doc.title).toBeTruthy();
    expect(doc.description.length).toBeGreaterThan(80);
    expect(doc.variants.length).toBeGreaterThanOrEqual(2);
    expect(doc.training.dataset).toBe('digits');
    for (const v of doc.variants) {
      const a = analyze(v.graph);
      expect(a.diagnostics.map((d) => `${v.name}: ${d.message}`)).toEqual([]);
      const input = a.layers.find((l) => l.type === 'Input');
      expect(input?.outputShape, v.name).toEqual([1, 28, 28]);
      expect(a.outputs, v.name).toHaveLength(1);
      expect(a.nodes.get(a.outputs[0] ?? '')?.outputShape, v.name).toEqual([10]);
      expect(v.result, `${v.name} ships without results`).toBeUndefined();
    }
    expect(compareGraphs(doc.variants).problems).toEqual([]);
  });

  it('7×7 vs 3×3: 49·C² vs 27·C² weights in the middle block, the same receptive field', () => {
    const doc = load('lesson-7x7-vs-3x3.nnb-compare.json');
    const [one, three] = doc.variants.map((v) => analyze(v.graph));
    const C = 32;
    expect(one?.nodes.get('conv7')?.params).toBe(49 * C * C + C);
    expect(
      ['conv1', 'conv2', 'conv3'].reduce((s, id) => s + (three?.nodes.get(id)?.params ?? 0), 0),
    ).toBe(27 * C * C + 3 * C);
    expect(one?.nodes.get('relu7')?.receptiveField?.size).toEqual(
      three?.nodes.get('relu3')?.receptiveField?.size,
    );
  });

  it('FC vs GAP head: 31,370 vs 650 head weights', () => {
    const [fc, gap] = load('lesson-fc-vs-gap-head.nnb-compare.json').variants.map((v) =>
      analyze(v.graph),
    );
    expect(fc?.nodes.get('fc')?.params).toBe(64 * 7 * 7 * 10 + 10);
    expect(gap?.nodes.get('classifier')?.params).toBe(64 * 10 + 10);
    // The same multiply-accumulates: 64·7·7·10 either way.
    expect(fc?.nodes.get('fc')?.macs).toBe(gap?.nodes.get('classifier')?.macs);
  });

  it('the over-fitting lesson trains on few samples and only the regularised variant decays weights', () => {
    const doc = load('lesson-overfitting-dropout.nnb-compare.json');
    expect(doc.training.maxTrainSamples).toBeLessThanOrEqual(1000);
    expect(doc.variants.map((v) => v.weightDecay ?? doc.training.weightDecay)).toEqual([0, 0.05]);
    expect(analyze(doc.variants[0]!.graph).totals.params).toBe(225_034);
  });

  it('templates/index.json lists every lesson, and only files that exist', () => {
    const index = TemplateIndexSchema.parse(
      JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')),
    );
    expect(index.lessons.map((l) => l.file).sort()).toEqual(lessons);
    for (const l of index.lessons) {
      expect(l.kind).toBe('comparison');
      expect(l.description).toMatch(/^\S[^\n]*[.]$/);
    }
  });
});
