// Cross-entropy on logits and the correct count as two wasm kernels (src/engine/wasm/crossEntropy.ts)
// against the tfjs ops they replace (batchLoss, correctCount) on the CPU backend: the loss within
// float32 rounding, the count exactly, the gradient within float32 rounding — with ties for the
// maximum, a label outside the classes, large logits, one class — and NaN logits give a NaN loss.
// A training step on wasm computes its loss through them.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  batchLoss,
  correctCount,
  lossAndCorrect,
  meanLoss,
} from '../../../src/engine/train/loss.js';
import { CROSS_ENTROPY, CROSS_ENTROPY_GRAD } from '../../../src/engine/wasm/crossEntropy.js';
import { evaluationTensors } from '../../../src/engine/train/evaluate.js';
import { CompiledModel } from '../../../src/engine/model/CompiledModel.js';
import { parseGraphJson } from '../../../src/core/graph/parseGraph.js';
import { readFileSync } from 'node:fs';
import { initBackends, runOn, scaledMaxError, seeded } from './backendCompare.js';

beforeAll(initBackends);

interface Case {
  name: string;
  logits: number[][];
  labels: number[];
}

function randomCase(n: number, k: number, seed: number, scale: number): Case {
  const v = seeded(n * k, seed);
  return {
    name: `${n}×${k}, logits ×${scale}`,
    logits: Array.from({ length: n }, (_, i) =>
      Array.from({ length: k }, (_, j) => v[i * k + j]! * scale),
    ),
    labels: Array.from({ length: n }, (_, i) => (i * 7 + seed) % k),
  };
}

const CASES: Case[] = [
  randomCase(64, 10, 1, 3),
  randomCase(5, 1000, 2, 1),
  randomCase(7, 3, 3, 80),
  {
    name: 'ties for the maximum',
    logits: [
      [1, 3, 3],
      [2, 2, 2],
      [0, 5, 5],
    ],
    labels: [1, 0, 2],
  },
  {
    name: 'a label outside the classes',
    logits: [
      [1, 2, 3],
      [3, 2, 1],
    ],
    labels: [1, 3],
  },
];

describe('cross-entropy kernels', () => {
  it.each(CASES)('$name: loss, count and gradient as the tfjs ops give them', async (c) => {
    const run = (fused: boolean) => () => {
      const labels = tf.tensor1d(c.labels, 'int32');
      const logits = tf.tensor2d(c.logits);
      const dy = tf.scalar(0.7);
      if (fused) {
        const [loss, correct] = tf
          .engine()
          .runKernel(CROSS_ENTROPY, { logits, labels }) as tf.Tensor[];
        const grad = tf.engine().runKernel(CROSS_ENTROPY_GRAD, { logits, labels, dy }) as tf.Tensor;
        return [loss!, correct!, grad];
      }
      const f = (x: tf.Tensor) =>
        tf.mul(batchLoss(x as tf.Tensor2D, labels, 'cross-entropy', 'logits'), dy);
      return [
        batchLoss(logits, labels, 'cross-entropy', 'logits'),
        correctCount(logits, labels),
        tf.grad(f)(logits),
      ];
    };
    const ops = await runOn('cpu', run(false));
    const kernels = await runOn('wasm', run(true));
    const [loss, correct, grad] = kernels as [Float32Array, Float32Array, Float32Array];
    expect(Math.abs(loss[0]! - ops[0]![0]!)).toBeLessThanOrEqual(
      4e-7 * Math.max(1, Math.abs(ops[0]![0]!)),
    );
    expect(correct[0]).toBe(ops[1]![0]);
    expect(scaledMaxError(grad, ops[2]!)).toBeLessThan(2e-7);
  });

  it('one class (which tfjs ops refuse): loss 0 and gradient 0, as PyTorch gives', async () => {
    const [loss, correct, grad] = await runOn('wasm', () => {
      const logits = tf.tensor2d([[0.5], [-2]]);
      const labels = tf.tensor1d([0, 0], 'int32');
      const [l, c] = tf.engine().runKernel(CROSS_ENTROPY, { logits, labels }) as tf.Tensor[];
      const dy = tf.scalar(1);
      return [
        l!,
        c!,
        tf.engine().runKernel(CROSS_ENTROPY_GRAD, { logits, labels, dy }) as tf.Tensor,
      ];
    });
    expect(loss![0]).toBe(0);
    expect(correct![0]).toBe(2);
    expect([...grad!]).toEqual([0, 0]);
  });

  it('gives a NaN loss for NaN logits', async () => {
    const [loss] = await runOn(
      'wasm',
      () =>
        tf.engine().runKernel(CROSS_ENTROPY, {
          logits: tf.tensor2d([
            [1, Number.NaN],
            [0, 1],
          ]),
          labels: tf.tensor1d([0, 1], 'int32'),
        }) as tf.Tensor[],
    );
    expect(loss![0]).toBeNaN();
  });

  it('is how a training batch on wasm gets its loss and count', async () => {
    await tf.setBackend('wasm');
    const c = CASES[0]!;
    const logits = tf.tensor2d(c.logits);
    const labels = tf.tensor1d(c.labels, 'int32');
    let result: { loss: tf.Scalar; correct: tf.Scalar } | undefined;
    const profile = await tf.profile(() => {
      result = lossAndCorrect(logits, labels, 'cross-entropy', 'logits');
    });
    // (tf.profile also lists the custom-gradient op itself, without a kernel name.)
    expect(profile.kernels.map((k) => k.name).filter((n) => n !== '')).toEqual([CROSS_ENTROPY]);
    const expected = correctCount(logits, labels);
    expect(result!.correct.dataSync()[0]).toBe(expected.dataSync()[0]);
    tf.dispose([logits, labels, expected, result!.loss, result!.correct]);
  });

  it('is the evaluation loss too: the same value, one kernel, no tensor left behind', async () => {
    await tf.setBackend('wasm');
    const c = CASES[0]!;
    const logits = tf.tensor2d(c.logits);
    const labels = tf.tensor1d(c.labels, 'int32');
    const before = tf.memory().numTensors;
    let value: tf.Scalar | undefined;
    const profile = await tf.profile(() => {
      value = meanLoss(logits, labels, 'cross-entropy', 'logits');
    });
    expect(profile.kernels.map((k) => k.name)).toEqual([CROSS_ENTROPY]);
    expect(tf.memory().numTensors).toBe(before + 1);
    const training = lossAndCorrect(logits, labels, 'cross-entropy', 'logits');
    expect(value!.dataSync()[0]).toBe(training.loss.dataSync()[0]);
    tf.dispose([logits, labels, value!, training.loss, training.correct]);
  });

  it('computes an evaluation batch loss (LeNet-5 on wasm)', async () => {
    await tf.setBackend('wasm');
    const parsed = parseGraphJson(readFileSync('templates/lenet-5.nnb.json', 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    const model = CompiledModel.compile(parsed.graph, 0);
    const batch = { x: seeded(3 * 28 * 28, 9), labels: Int32Array.from([1, 2, 3]), size: 3 };
    let out: tf.Tensor[] = [];
    const profile = await tf.profile(() => {
      out = evaluationTensors(model, batch, 'cross-entropy', 'logits');
    });
    expect(profile.kernels.filter((k) => k.name === CROSS_ENTROPY)).toHaveLength(1);
    tf.dispose(out);
    model.dispose();
  });
});
