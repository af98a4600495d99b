import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ratioText } from '../../../renderer/compare/CompareTable';
import { curvePoints } from '../../../renderer/compare/curves';
import { foldRepeats, layerChips } from '../../../renderer/compare/graphStrip';
import { analyze } from '../../../src/core/analysis/analyze';
import { compareGraphs } from '../../../src/core/compare/compareGraphs';
import { parseCompareJson } from '../../../src/core/compare/compareDocument';

const lesson = (file: string) => {
  const parsed = parseCompareJson(
    readFileSync(join(import.meta.dirname, '../../../templates', file), 'utf8'),
  );
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.doc;
};

describe('the variant strip', () => {
  it('reads like the network: kernel and width on each chip', () => {
    const [fc, gap] = lesson('lesson-fc-vs-gap-head.nnb-compare.json').variants;
    expect(layerChips(analyze(fc!.graph)).map((c) => c.text)).toEqual([
      'Conv2d 3×3·16',
      'ReLU',
      'MaxPool2d 2×2',
      'Conv2d 3×3·32',
      'ReLU',
      'MaxPool2d 2×2',
      'Conv2d 3×3·64',
      'ReLU',
      'Flatten',
      'Linear 10',
    ]);
    expect(
      layerChips(analyze(gap!.graph))
        .slice(-3)
        .map((c) => c.text),
    ).toEqual(['Conv2d 1×1·10', 'Global avg pool', 'Flatten']);
    expect(layerChips(analyze(gap!.graph))[0]?.category).toBe('Convolution');
  });
});

describe('table cells', () => {
  it('shows how many times the cheapest a cost is', () => {
    const doc = lesson('lesson-7x7-vs-3x3.nnb-compare.json');
    const params = compareGraphs(doc.variants).rows.find((r) => r.metric === 'Parameters')!;
    // 320 (stem) + 15,690 (head) + 49·32² + 32 vs + 3·(9·32² + 32).
    expect(params.values).toEqual([320 + 15_690 + 50_208, 320 + 15_690 + 27_744]);
    expect(params.best).toBe(1);
    expect(ratioText(params, 0)).toBe(
      `${((320 + 15_690 + 50_208) / (320 + 15_690 + 27_744)).toFixed(2)}×`,
    );
    expect(ratioText(params, 1)).toBeNull();
  });

  it('shows accuracy distances in percentage points', () => {
    const row = {
      metric: 'acc',
      values: [0.9, 0.85],
      display: [],
      formulas: [],
      differs: true,
      best: 0,
      better: 'higher' as const,
      valid: [true, true],
    };
    expect(ratioText(row, 1)).toBe('−5.0 pts');
  });

  it('gives no ratio to a graph with errors, and cost rows stay ratios beside one', () => {
    const [a, b] = lesson('lesson-7x7-vs-3x3.nnb-compare.json').variants;
    const broken = { ...a!.graph, edges: a!.graph.edges.slice(1) };
    const c = compareGraphs([
      { name: 'a', graph: a!.graph },
      { name: 'b', graph: b!.graph },
      { name: 'broken', graph: broken },
    ]);
    expect(c.problems.length).toBeGreaterThan(0);
    for (const metric of ['Parameters', 'MACs', 'Activation memory (per sample)']) {
      const row = c.rows.find((r) => r.metric === metric)!;
      expect(row.better).toBe('lower');
      expect(ratioText(row, 2)).toBeNull();
      expect([0, 1]).toContain(row.best);
      expect(ratioText(row, row.best === 0 ? 1 : 0)).toMatch(/^\d+\.\d\d×$/);
    }
  });
});

describe('curves', () => {
  it('smooths training per batch and keeps validation per epoch', () => {
    const c = curvePoints(
      {
        outcome: 'completed',
        epochs: [
          {
            epoch: 1,
            trainLoss: 1,
            trainAccuracy: 0.5,
            valLoss: 0.8,
            valAccuracy: 0.6,
            gradientNorms: {},
          },
        ],
        trainSteps: [
          { epoch: 0.5, loss: 2, accuracy: 0.2 },
          { epoch: 1, loss: 1, accuracy: 0.4 },
        ],
        evaluation: null,
      },
      'loss',
    );
    expect(c.train).toEqual([
      [0.5, 2],
      [1, 0.6 * 2 + 0.4 * 1],
    ]);
    expect(c.validation).toEqual([[1, 0.8]]);
  });
});

describe('folded repeats in the strip', () => {
  const texts = (file: string, v: number) =>
    foldRepeats(layerChips(analyze(lesson(file).variants[v]!.graph))).map((item) =>
      item.kind === 'layer'
        ? item.chip.text
        : `${item.count} × [${item.chips.map((c) => c.text).join(' → ')}]`,
    );

  it('reads a deep MLP as its repeated block', () => {
    expect(texts('lesson-vanishing-gradients.nnb-compare.json', 0)).toEqual([
      'Flatten',
      '6 × [Linear 64 → Sigmoid]',
      'Linear 10',
    ]);
    expect(texts('lesson-vanishing-gradients.nnb-compare.json', 2)).toEqual([
      'Flatten',
      '6 × [Linear 64 → BatchNorm1d → Sigmoid]',
      'Linear 10',
    ]);
  });

  it('reads the 3×3 stack as three blocks after its stem', () => {
    expect(texts('lesson-7x7-vs-3x3.nnb-compare.json', 1)).toEqual([
      'Conv2d 3×3·32',
      'ReLU',
      'MaxPool2d 2×2',
      '3 × [Conv2d 3×3·32 → ReLU]',
      'MaxPool2d 2×2',
      'Flatten',
      'Linear 10',
    ]);
  });
});

describe('curves of a diverged run', () => {
  it('leave out non-finite validation values instead of breaking the scale', () => {
    const epoch = (n: number, valLoss: number) => ({
      epoch: n,
      trainLoss: 1,
      trainAccuracy: 0.5,
      valLoss,
      valAccuracy: 0.5,
      gradientNorms: {},
    });
    const c = curvePoints(
      {
        outcome: 'error',
        epochs: [epoch(1, 0.9), epoch(2, Number.NaN), epoch(3, Number.POSITIVE_INFINITY)],
        trainSteps: [],
        evaluation: null,
      },
      'loss',
    );
    expect(c.validation).toEqual([[1, 0.9]]);
  });
});
