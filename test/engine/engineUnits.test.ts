import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { backendFromEnv, selectBackend } from '../../src/engine/selectBackend.js';
import { classMetrics } from '../../src/engine/train/classMetrics.js';
import { batchLoss, outputKind } from '../../src/engine/train/loss.js';
import { learningRateAt } from '../../src/engine/train/schedule.js';

describe('learning-rate schedules (torch.optim.lr_scheduler)', () => {
  it('StepLR multiplies by gamma every stepSize epochs', () => {
    const step = { kind: 'step', stepSize: 2, gamma: 0.5 } as const;
    expect([1, 2, 3, 4, 5].map((e) => learningRateAt(step, 0.1, e, 5))).toEqual([
      0.1, 0.1, 0.05, 0.05, 0.025,
    ]);
  });

  it('CosineAnnealingLR starts at lr and approaches minLr', () => {
    const cosine = { kind: 'cosine', minLr: 0.01 } as const;
    expect(learningRateAt(cosine, 0.1, 1, 4)).toBeCloseTo(0.1);
    expect(learningRateAt(cosine, 0.1, 3, 4)).toBeCloseTo(0.055);
    expect(learningRateAt({ kind: 'none' }, 0.1, 3, 4)).toBe(0.1);
  });
});

describe('class metrics', () => {
  it('precision, recall, F1 and support from a confusion matrix (0 where undefined)', () => {
    const { accuracy, perClass } = classMetrics(
      [
        [3, 1, 0],
        [0, 2, 0],
        [1, 0, 0],
      ],
      ['a', 'b', 'c'],
    );
    expect(accuracy).toBeCloseTo(5 / 7);
    expect(perClass[0]).toMatchObject({ precision: 0.75, recall: 0.75, support: 4 });
    expect(perClass[1]!.f1).toBeCloseTo((2 * (2 / 3) * 1) / (2 / 3 + 1));
    expect(perClass[2]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1 });
  });
});

describe('backend selection', () => {
  const saved = process.env.NNB_BACKEND;
  afterEach(() => {
    if (saved === undefined) delete process.env.NNB_BACKEND;
    else process.env.NNB_BACKEND = saved;
  });

  it('NNB_BACKEND forces a backend unless a flag names one; a bad value is explained', () => {
    process.env.NNB_BACKEND = 'cpu';
    expect(backendFromEnv('auto')).toBe('cpu');
    expect(backendFromEnv('wasm')).toBe('wasm');
    process.env.NNB_BACKEND = 'gpu';
    expect(() => backendFromEnv('auto')).toThrow(
      /NNB_BACKEND is "gpu"; use one of auto, tensorflow-gpu, tensorflow, webgpu, wasm, cpu/,
    );
  });

  it('auto takes the best that loads and says why the better ones did not', async () => {
    delete process.env.NNB_BACKEND;
    const { backend, skipped } = await selectBackend('auto');
    expect(['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu']).toContain(backend);
    // The native packages cannot be installed on CI machines without libtensorflow; CI's only
    // GPU adapter is llvmpipe (software), which auto passes over, saying so.
    if (backend === 'wasm') {
      expect(skipped.slice(0, 2)).toEqual([
        'tensorflow-gpu: not installed',
        'tensorflow: not installed',
      ]);
      expect(skipped[2]).toMatch(
        /^webgpu: (not installed|no GPU adapter|only a software adapter \(.+\), slower than WebAssembly)/,
      );
    }
    await selectBackend('cpu');
  });

  it('a named backend that cannot load is an error naming the package', async () => {
    delete process.env.NNB_BACKEND;
    await expect(selectBackend('tensorflow-gpu')).rejects.toThrow(
      /tensorflow-gpu backend cannot load.*@tensorflow\/tfjs-node-gpu/,
    );
  });
});

describe('losses', () => {
  const logits = [
    [2, 0, -1],
    [0.5, 0.5, 3],
  ];
  const labels = [0, 2];
  // nn.CrossEntropyLoss by hand: mean of −log softmax(x)[label].
  const ce =
    logits.reduce((sum, row, i) => {
      const lse = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
      return sum + lse - row[labels[i]!]!;
    }, 0) / 2;
  const loss = (out: number[][], kind: 'cross-entropy' | 'mse', last: string) =>
    tf.tidy(
      () =>
        batchLoss(
          tf.tensor2d(out),
          tf.tensor1d(labels, 'int32'),
          kind,
          outputKind(last),
        ).dataSync()[0]!,
    );

  it('cross-entropy on logits, after LogSoftmax and after Softmax agree', () => {
    const logSoftmax = tf.tidy(() => tf.logSoftmax(tf.tensor2d(logits)).arraySync() as number[][]);
    const softmax = tf.tidy(() => tf.softmax(tf.tensor2d(logits)).arraySync() as number[][]);
    expect(loss(logits, 'cross-entropy', 'Linear')).toBeCloseTo(ce, 5);
    expect(loss(logSoftmax, 'cross-entropy', 'LogSoftmax')).toBeCloseTo(ce, 5);
    expect(loss(softmax, 'cross-entropy', 'Softmax')).toBeCloseTo(ce, 5);
  });

  it('MSE is the mean squared difference to the one-hot labels (nn.MSELoss)', () => {
    const expected = ((2 - 1) ** 2 + 0 + 1 + 0.25 + 0.25 + (3 - 1) ** 2) / 6;
    expect(loss(logits, 'mse', 'Linear')).toBeCloseTo(expected, 6);
  });
});
