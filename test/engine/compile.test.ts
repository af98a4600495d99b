import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { parseGraphJson } from '../../src/core/graph/parseGraph.js';
import { CompiledModel } from '../../src/engine/model/CompiledModel.js';
import { toTorchOrder } from '../../src/engine/model/layout.js';
import { LAYER_CASES } from './layerCases.js';
import {
  formulaWeights,
  maxError,
  randomInput,
  randomizeWeights,
  weightsJson,
} from './modelHelpers.js';
import { runTorch, torchUnavailable, type TorchCase, type TorchResult } from './torchReference.js';

const TEMPLATES = join(import.meta.dirname, '..', '..', 'templates');
const template = (name: string): GraphDocument =>
  JSON.parse(readFileSync(join(TEMPLATES, `${name}.nnb.json`), 'utf8')) as GraphDocument;
const ALL_TEMPLATES = [
  'lenet-5',
  'mlp-digits',
  'resnet-cifar',
  'conv3x3-stack',
  'conv7x7-single',
  'alexnet',
  'vgg-16',
  'resnet-18',
];
/** Templates small enough to run forward on the CPU backend in a unit test. */
const RUN_TEMPLATES = ['lenet-5', 'mlp-digits', 'resnet-cifar', 'conv3x3-stack', 'conv7x7-single'];
const TOLERANCE = 1e-4;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('compile: parameter counts', () => {
  it.each(ALL_TEMPLATES)('%s has analyze()’s trainable parameter count', (name) => {
    const graph = template(name);
    const model = CompiledModel.compile(graph, 1);
    expect(model.trainableParamCount()).toBe(analyze(graph).totals.trainableParams);
    model.dispose();
  });

  // The oracle fixtures freeze a layer and a whole block (`trainable: false`).
  it.each(['blocks', 'flat-heads'])('fixture %s: frozen nodes stay frozen', (name) => {
    const parsed = parseGraphJson(
      readFileSync(join(import.meta.dirname, '../oracle/fixtures', `${name}.nnb.json`), 'utf8'),
    );
    if (!parsed.ok) throw new Error(parsed.error);
    const totals = analyze(parsed.graph).totals;
    expect(totals.nonTrainableParams).toBeGreaterThan(0);
    const model = CompiledModel.compile(parsed.graph, 1);
    expect(model.trainableParamCount()).toBe(totals.trainableParams);
    model.dispose();
  });

  it.each(LAYER_CASES)('%s has analyze()’s trainable parameter count', (_name, graph) => {
    const model = CompiledModel.compile(graph, 1);
    expect(model.trainableParamCount()).toBe(analyze(graph).totals.trainableParams);
    model.dispose();
  });
});

const skip = torchUnavailable();

describe.skipIf(skip !== null)(
  `compile: outputs equal PyTorch 1.13’s${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    interface Prepared {
      name: string;
      model: CompiledModel;
      ours: tf.Tensor;
      torchCase: TorchCase;
    }
    const cases: [string, GraphDocument, boolean][] = [
      ...LAYER_CASES.map(([n, g]): [string, GraphDocument, boolean] => [n, g, false]),
      ...RUN_TEMPLATES.map((n): [string, GraphDocument, boolean] => [
        `template ${n}`,
        template(n),
        false,
      ]),
      // Train mode: batch statistics, and the running statistics PyTorch's update rule leaves.
      ['BatchNorm2d (train)', LAYER_CASES.find(([n]) => n === 'BatchNorm2d')![1], true],
      ['BatchNorm1d (train)', LAYER_CASES.find(([n]) => n === 'BatchNorm1d no affine')![1], true],
      [
        'ResidualBlock (train)',
        LAYER_CASES.find(([n]) => n === 'ResidualBlock stride 2')![1],
        true,
      ],
    ];
    let prepared: Prepared[] = [];
    let results: TorchResult[] = [];

    beforeAll(() => {
      prepared = cases.map(([name, graph, train], i) => {
        const model = CompiledModel.compile(graph, i);
        randomizeWeights(model, 100 + i);
        // One sample of the 224×224 inputs keeps the test quick; small inputs get a batch of 3.
        const batch = model.inputShape.reduce((a, b) => a * b, 1) > 50_000 ? 1 : 3;
        const { torch, ours } = randomInput(model.inputShape, batch, 200 + i);
        return {
          name,
          model,
          ours,
          torchCase: { graph, weights: weightsJson(model), input: torch, train },
        };
      });
      results = runTorch(prepared.map((p) => p.torchCase));
    });

    it.each(cases.map(([name], i) => [name, i] as const))('%s', (_name, i) => {
      const { model, ours, torchCase } = prepared[i]!;
      const expected = results[i]!;
      const updates: { weight: string; value: tf.Tensor }[] = [];
      const out = tf.tidy(() => {
        const y = model.apply(ours, {
          training: torchCase.train === true,
          nextSeed: () => 1,
          updates,
        });
        for (const u of updates) tf.keep(u.value);
        return toTorchOrder(y);
      });
      expect(out.shape).toEqual(expected.shape);
      expect(maxError(out.dataSync(), expected.data)).toBeLessThan(TOLERANCE);
      for (const [key, values] of Object.entries(expected.stats)) {
        if (torchCase.train !== true) continue;
        const update = updates.find((u) => u.weight === key);
        expect(update, key).toBeDefined();
        expect(maxError(update!.value.dataSync(), values), key).toBeLessThan(TOLERANCE);
      }
      out.dispose();
    });
  },
);

/** A template with its Input resized (the big ones run at a small resolution on the CPU backend). */
function atInput(name: string, shape: number[]): GraphDocument {
  const graph = template(name);
  return {
    ...graph,
    nodes: graph.nodes.map((n) => (n.type === 'Input' ? { ...n, params: { shape } } : n)),
  };
}

describe.skipIf(skip !== null)(
  `compile: the big templates equal PyTorch 1.13’s${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    // Weights from a formula both sides evaluate: 11–61 M parameters need not cross as JSON.
    // (VGG-16's 138 M would still take minutes on the CPU backend; its layers are all covered.)
    it.each([
      ['resnet-18', [3, 64, 64]],
      ['alexnet', [3, 64, 64]],
    ] as const)('%s at %j', (name, shape) => {
      const graph = atInput(name, [...shape]);
      const model = CompiledModel.compile(graph, 1);
      formulaWeights(model);
      const { torch, ours } = randomInput(model.inputShape, 1, 7);
      const [expected] = runTorch([{ graph, weights: 'formula', input: torch }]);
      const out = model.predict(ours);
      expect(out.shape).toEqual(expected!.shape);
      expect(maxError(out.dataSync(), expected!.data)).toBeLessThan(TOLERANCE);
      tf.dispose([out, ours]);
      model.dispose();
    });
  },
);
