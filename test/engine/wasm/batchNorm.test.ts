// The fused training-mode BatchNorm kernels on wasm (src/engine/wasm/batchNorm.ts) against the
// tfjs-op path of batchNormTraining on the CPU backend: output, batch statistics and all three
// gradients, on channels-last maps and feature matrices, whole periods and tails.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormTraining } from '../../../src/engine/model/batchNormTraining.js';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '../../../src/engine/wasm/batchNorm.js';
import { initBackends, runOn, scaledMaxError, seeded, type Backend } from './backendCompare.js';

beforeAll(initBackends);

const CASES: [string, number[], { offset?: number; affine?: boolean }][] = [
  ['ResNet-20 stage 1 map, batch 8', [8, 32, 32, 16], {}],
  ['32 channels', [4, 16, 16, 32], {}],
  ['64 channels: two gradient passes', [4, 8, 8, 64], {}],
  ['128 channels: groups of 8 vectors', [2, 4, 4, 128], {}],
  ['3 channels: a period of 12 floats and a tail', [3, 5, 7, 3], {}],
  ['6 channels, mean 40 (no cancellation)', [5, 3, 3, 6], { offset: 40 }],
  ['BatchNorm1d features [N, F]', [12, 10], {}],
  ['no affine parameters', [4, 6, 6, 8], { affine: false }],
  ['one value per channel per block', [1, 1, 1, 20], {}],
];

/** y, mean, variance, dx, dγ, dβ of batchNormTraining with a seeded upstream gradient. */
function run(
  shape: number[],
  { offset = 0, affine = true }: { offset?: number; affine?: boolean },
) {
  const size = shape.reduce((a, b) => a * b);
  const channels = shape[shape.length - 1]!;
  const x = tf.add(tf.tensor(seeded(size, 3), shape), offset);
  const gamma = tf.add(tf.tensor(seeded(channels, 5)), 1.5);
  const beta = tf.tensor(seeded(channels, 7));
  const upstream = tf.tensor(seeded(size, 11), shape);
  const axes = shape.slice(0, -1).map((_, i) => i);
  let moments: tf.Tensor[] = [];
  const f = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
    tf.sum(
      tf.mul(
        batchNormTraining(xs, affine ? g : null, affine ? b : null, 1e-5, axes, (m) => {
          moments = [tf.keep(m.mean.clone()), tf.keep(m.variance.clone())];
        }),
        upstream,
      ),
    );
  const y = batchNormTraining(x, affine ? gamma : null, affine ? beta : null, 1e-5, axes, () => {});
  const grads = affine
    ? tf.grads(f)([x, gamma, beta])
    : [tf.grad((xs: tf.Tensor) => f(xs, gamma, beta))(x)];
  return [y, ...moments, ...grads];
}

describe.each(CASES)('fused BatchNorm on wasm: %s', (_name, shape, options) => {
  it('equals the tfjs ops on the CPU: y, μ, σ², dx, dγ, dβ', async () => {
    const cpu = await runOn('cpu', () => run(shape, options));
    const wasm = await runOn('wasm', () => run(shape, options));
    expect(wasm.length).toBe(cpu.length);
    // Float32 rounding apart (the CPU's long sums are float32, ours are float64 per block).
    const errors = wasm.map((w, k) => scaledMaxError(w, cpu[k]!));
    expect(Math.max(...errors)).toBeLessThan(1e-5);
  });
});

describe('which path runs', () => {
  const kernelsOf = async (backend: Backend) => {
    await tf.setBackend(backend);
    const profile = await tf.profile(() => tf.tidy(() => run([2, 4, 4, 16], {})));
    tf.dispose(profile.result as tf.Tensor[]);
    return new Set(profile.kernels.map((k) => k.name));
  };

  it('the fused kernels on wasm, the tfjs ops elsewhere', async () => {
    const onWasm = await kernelsOf('wasm');
    expect(onWasm.has(BATCH_NORM_TRAIN)).toBe(true);
    expect(onWasm.has(BATCH_NORM_TRAIN_GRAD)).toBe(true);
    expect(onWasm.has('Rsqrt')).toBe(false);
    const onCpu = await kernelsOf('cpu');
    expect(onCpu.has(BATCH_NORM_TRAIN)).toBe(false);
    expect(onCpu.has('Rsqrt')).toBe(true);
  });

  it('leaves no tensor behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    tf.dispose(tf.tidy(() => run([2, 4, 4, 16], {})));
    expect(tf.memory().numTensors).toBe(before);
  });
});
