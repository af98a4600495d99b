// Evaluation on two threads: the data-parallel trainer's worker evaluates the second half of the
// batches with the run's weights — trainable ones from the last step, the running statistics sent
// along (its own are rank 1's, never the run's) — and the result is the one-thread result to the
// bit: same mean loss, same predictions, same confusion matrix.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultOptimizer } from '../../src/api/training.js';
import { CompiledModel } from '../../src/engine/model/CompiledModel.js';
import { selectBackend } from '../../src/engine/selectBackend.js';
import { DataParallelTrainer } from '../../src/engine/train/DataParallelTrainer.js';
import { EVAL_BATCH, evaluate, type EvaluationHelper } from '../../src/engine/train/evaluate.js';
import { outputKind } from '../../src/engine/train/loss.js';
import { createOptimizer } from '../../src/engine/train/StepOptimizer.js';
import type { StepSetup } from '../../src/engine/train/trainStep.js';
import { seeded } from './wasm/backendCompare.js';
import { chainGraph, randomizeWeights } from './modelHelpers.js';

const graph = chainGraph(
  [1, 12, 12],
  ['Conv2d', { out_channels: 6, kernel_size: 3, padding: 1 }],
  ['BatchNorm2d'],
  ['ReLU'],
  ['MaxPool2d', { kernel_size: 2 }],
  ['Flatten'],
  ['Linear', { out_features: 10 }],
);
const COUNT = 5 * EVAL_BATCH - 17; // 5 batches, the last one short
const split = {
  count: COUNT,
  images: Uint8Array.from(seeded(COUNT * 144, 21), (v) => Math.floor((v + 1) * 127.5)),
  labels: Uint8Array.from({ length: COUNT }, (_, i) => (i * 7) % 10),
};
const options = { shape: [1, 12, 12] as const, mean: [0.5], std: [0.25], flat: false };

let setup: StepSetup;
let trainer: DataParallelTrainer;

beforeAll(async () => {
  await selectBackend('wasm');
  const model = CompiledModel.compile(graph, 3);
  randomizeWeights(model, 4);
  const variables = model.trainableVariables();
  setup = {
    model,
    variables,
    optimizer: createOptimizer({ ...defaultOptimizer('adam'), lr: 0.01 }, variables),
    loss: 'cross-entropy',
    kind: outputKind(model.outputType),
    nextSeed: () => 0,
  };
  trainer = await DataParallelTrainer.start(setup, graph, 3);
  // Two steps: new weights on both threads, running statistics moved on this one only.
  for (let step = 0; step < 2; step++) {
    await trainer.step(
      {
        x: seeded(16 * 144, 30 + step),
        labels: Int32Array.from({ length: 16 }, (_, i) => (i + step) % 10),
        size: 16,
      },
      0.01,
      false,
    );
  }
}, 60_000);

afterAll(async () => {
  await trainer.dispose();
  setup.optimizer.dispose();
  setup.model.dispose();
});

/** The evaluation of `split` by the run's model, with `helper` if given. */
const evaluateSplit = (helper?: EvaluationHelper) =>
  evaluate(setup.model, split, options, 'cross-entropy', setup.kind, 10, helper);

describe('evaluation with the data-parallel worker', () => {
  it('equals the one-thread evaluation to the bit, the worker taking the second half', async () => {
    const alone = await evaluateSplit();
    const sent: number[] = [];
    const helper = {
      evaluateBatches: (batches: Parameters<DataParallelTrainer['evaluateBatches']>[0]) => {
        sent.push(batches.length);
        return trainer.evaluateBatches(batches);
      },
    };
    const before = tf.memory().numTensors;
    const both = await evaluateSplit(helper);
    expect(tf.memory().numTensors).toBe(before);
    expect(sent).toEqual([2]);
    expect(both.loss).toBe(alone.loss);
    expect(both.predicted).toEqual(alone.predicted);
    expect(both.confusion).toEqual(alone.confusion);
    expect(new Set(alone.predicted).size).toBeGreaterThan(1);
  });

  it("evaluates the worker's batches here when the worker fails", async () => {
    const alone = await evaluateSplit();
    const failing = { evaluateBatches: () => Promise.reject(new Error('worker gone')) };
    const result = await evaluateSplit(failing);
    expect(result.loss).toBe(alone.loss);
    expect(result.predicted).toEqual(alone.predicted);
  });
});
