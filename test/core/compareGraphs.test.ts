import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareGraphs } from '../../src/core/compare/compareGraphs.js';
import { analyze } from '../../src/core/analysis/analyze.js';
import { parseGraphJson } from '../../src/core/graph/parseGraph.js';
import { layerTensors } from '../../src/core/weights/layerTensors.js';
import { LAYER_CASES } from '../export/layerCases.js';
import { chain } from '../helpers.js';

const template = (file: string) => {
  const parsed = parseGraphJson(
    readFileSync(join(import.meta.dirname, '../../templates', file), 'utf8'),
  );
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.graph;
};

describe('compareGraphs', () => {
  const c = compareGraphs([
    { name: 'one 7×7', graph: template('conv7x7-single.nnb.json') },
    { name: 'three 3×3', graph: template('conv3x3-stack.nnb.json') },
  ]);
  const row = (metric: string) => c.rows.find((r) => r.metric === metric);

  it('puts the instructor pair side by side: same field, 49C² vs 27C² weights, 1 vs 3 nonlinearities', () => {
    expect(row('Parameters')).toMatchObject({
      values: [200768, 110784],
      display: ['200,768', '110,784'],
      formulas: ['7·7·64·64 + 64 = 200,768', '3 × (3·3·64·64 + 64) = 110,784'],
      differs: true,
      best: 1,
    });
    expect(row('Largest receptive field')).toMatchObject({
      values: [7, 7],
      display: ['7×7', '7×7'],
      differs: false,
    });
    expect(row('Nonlinearities')?.values).toEqual([1, 3]);
    expect(row('Weighted layers (depth)')?.values).toEqual([1, 3]);
    expect(row('MACs')?.values).toEqual([64 * 56 * 56 * 64 * 49, 3 * 64 * 56 * 56 * 64 * 9]);
    expect(c.problems).toEqual([]);
  });

  it('counts depth through residual blocks along the longest path', () => {
    const r = compareGraphs([{ name: 'ResNet-18', graph: template('resnet-18.nnb.json') }]);
    // conv1 + 8 blocks × 2 convs + fc = 18: the "18" of ResNet-18.
    expect(r.rows.find((x) => x.metric === 'Weighted layers (depth)')?.values).toEqual([18]);
  });

  // Depth counts the layers that apply a learned kernel — those owning a `weight` of rank ≥ 2
  // (BatchNorm's per-channel weight is not one). One graph per layer variant of every type.
  it.each(Object.entries(LAYER_CASES))('%s: depth counts its learned kernels', (_name, graph) => {
    const kernels = analyze(graph).layers.filter((l) =>
      layerTensors(l).some((t) => t.role === 'weight' && t.shape.length >= 2),
    ).length;
    const r = compareGraphs([{ name: 'case', graph }]);
    expect(r.rows.find((x) => x.metric === 'Weighted layers (depth)')?.values).toEqual([kernels]);
  });

  it('lists the problems of graphs that have errors', () => {
    const broken = chain([1, 28, 28], ['fc', 'Linear', { out_features: 10 }]);
    expect(compareGraphs([{ name: 'broken', graph: broken }]).problems[0]).toMatch(
      /^broken: Linear "fc" expects a flat input/,
    );
  });
});
