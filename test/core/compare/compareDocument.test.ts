import { describe, expect, it } from 'vitest';
import {
  compareDocumentJson,
  DEFAULT_TRAINING,
  parseCompareJson,
  readCompareDocument,
  type CompareDocument,
} from '../../../src/core/compare/compareDocument.js';
import { formatNorm, resultRows } from '../../../src/core/compare/resultRows.js';
import { GRAPH_VERSION } from '../../../src/core/graph/document.js';
import { chain } from '../../helpers.js';

// The current graph version: an inline graph of an older one is migrated on reading.
const mlp = (act: string) => ({
  ...chain(
    [784],
    ['fc1', 'Linear', { out_features: 8 }],
    ['act', act],
    ['fc2', 'Linear', { out_features: 10 }],
  ),
  version: GRAPH_VERSION,
});

const epoch = (n: number, train: number, val: number, fc1: number) => ({
  epoch: n,
  trainLoss: 1 / n,
  trainAccuracy: train,
  valLoss: 1.2 / n,
  valAccuracy: val,
  gradientNorms: { fc1, fc2: 0.5 },
});

const doc: CompareDocument = {
  format: 'nnb-compare',
  version: 1,
  title: 'Sigmoid vs ReLU',
  description: 'Lesson text.',
  training: { ...DEFAULT_TRAINING, epochs: 2 },
  variants: [
    {
      name: 'Sigmoid',
      graph: mlp('Sigmoid'),
      note: 'slope ≤ 1/4',
      result: {
        outcome: 'completed',
        epochs: [epoch(1, 0.3, 0.25, 0.001), epoch(2, 0.4, 0.35, 0.002)],
        trainSteps: [
          { epoch: 0.5, loss: 2.3, accuracy: 0.1 },
          { epoch: 1, loss: 2.2, accuracy: 0.2 },
        ],
        evaluation: {
          epoch: 2,
          accuracy: 0.35,
          confusion: [
            [1, 0],
            [0, 1],
          ],
        },
      },
    },
    {
      name: 'ReLU',
      graph: mlp('ReLU'),
      weightDecay: 0.01,
      result: {
        outcome: 'completed',
        epochs: [epoch(1, 0.8, 0.85, 0.3), epoch(2, 0.95, 0.9, 0.2)],
        trainSteps: [],
        evaluation: null,
      },
    },
    { name: 'Untrained', graph: mlp('Tanh') },
  ],
};

describe('the comparison document', () => {
  it('round-trips through its JSON text, results included', () => {
    const text = compareDocumentJson(doc);
    expect(text.endsWith('}\n')).toBe(true);
    const back = parseCompareJson(text);
    expect(back).toEqual({ ok: true, doc });
  });

  it('fills missing training settings with the defaults and a missing title', () => {
    const r = readCompareDocument({ format: 'nnb-compare', version: 1, variants: [] });
    expect(r).toMatchObject({ ok: true, doc: { title: 'Comparison', training: DEFAULT_TRAINING } });
  });

  it.each([
    ['not JSON', '{"format": ', /^invalid JSON at line 1, column 12/],
    ['a graph', '{"format":"nnb-graph","version":1,"nodes":[],"edges":[]}', /this is a graph/],
    ['another format', '{"format":"x","version":1}', /"format" is "x", expected "nnb-compare"/],
    ['a newer version', '{"format":"nnb-compare","version":9}', /version 9, made by a newer/],
    [
      'bad epochs',
      '{"format":"nnb-compare","version":1,"training":{"epochs":0},"variants":[]}',
      /^training\.epochs must be an integer 1–1000, got 0$/,
    ],
    [
      'bad optimizer',
      '{"format":"nnb-compare","version":1,"training":{"optimizer":"lion"},"variants":[]}',
      /^training\.optimizer must be one of adam, sgd/,
    ],
    ['no variants', '{"format":"nnb-compare","version":1}', /"variants" must be a list/],
  ])('refuses %s with a message that says where', (_, text, message) => {
    const r = parseCompareJson(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('names the variant and the graph field when an inline graph is malformed', () => {
    const bad = JSON.parse(compareDocumentJson(doc));
    bad.variants[1].graph.nodes[2].type = 7;
    const r = readCompareDocument(bad);
    expect(r).toEqual({
      ok: false,
      error:
        'variants[1] ("ReLU").graph: nodes[2] ("act"): "type" must be a layer type such as "Conv2d", got 7',
    });
  });

  it('names the variant, epoch and metric when a saved result is malformed', () => {
    const bad = JSON.parse(compareDocumentJson(doc));
    bad.variants[0].result.epochs[1].valLoss = 'high';
    expect(readCompareDocument(bad)).toEqual({
      ok: false,
      error: 'variants[0] ("Sigmoid").result.epochs[1].valLoss must be a number, got "high"',
    });
    bad.variants[0].result.epochs[1].valLoss = 1;
    bad.variants[0].result.trainSteps[1].loss = null;
    expect(readCompareDocument(bad)).toMatchObject({
      error:
        /^variants\[0\] \("Sigmoid"\)\.result\.trainSteps\[1\] must be \{ epoch, loss, accuracy \}/,
    });
    bad.variants[0].result = { outcome: 'done', epochs: [] };
    expect(readCompareDocument(bad)).toMatchObject({
      error: /result\.outcome must be "completed"/,
    });
    bad.variants[0] = { graph: {} };
    expect(readCompareDocument(bad)).toMatchObject({
      error: 'variants[0].name must be a non-empty string, got nothing',
    });
  });
});

describe('result rows', () => {
  const rows = resultRows(doc.variants, doc.training);
  const row = (metric: string) => rows.find((r) => r.metric === metric);

  it('shows best and final validation accuracy, marking the best variant, — for the untrained one', () => {
    expect(row('Best validation accuracy')).toMatchObject({
      display: ['35.0%', '90.0%', '—'],
      best: 1,
      differs: true,
    });
    expect(row('Final validation accuracy')?.display).toEqual(['35.0%', '90.0%', '—']);
  });

  it('shows the over-fitting gap and the first layer’s gradient norm from the last epoch', () => {
    expect(row('Train − validation accuracy (over-fitting)')).toMatchObject({
      display: ['5.0%', '5.0%', '—'],
      formulas: ['40.0% − 35.0%', '95.0% − 90.0%', ''],
    });
    expect(row('Gradient norm at the first layer (last batch)')).toMatchObject({
      display: ['2.00·10⁻³', '0.200', '—'],
      formulas: ['‖∂L/∂W‖₂ of fc1', '‖∂L/∂W‖₂ of fc1', ''],
    });
  });

  it('shows the weight decay each variant trains with when one overrides it', () => {
    expect(row('Weight decay (training)')?.display).toEqual(['0', '0.01', '0']);
  });

  it('has no accuracy rows before training', () => {
    const untrained = doc.variants.map(({ result: _, ...v }) => v);
    expect(resultRows(untrained, doc.training).map((r) => r.metric)).toEqual([
      'Weight decay (training)',
    ]);
  });
});

describe('formatNorm', () => {
  it.each([
    [0, '0'],
    [1.24, '1.24'],
    [0.0332, '0.0332'],
    [0.00004, '4.00·10⁻⁵'],
    [123456, '1.23·10⁵'],
  ])('%s → %s', (x, text) => expect(formatNorm(x)).toBe(text));
});
