// BatchNorm cases shared by the fused-kernel tests of the wasm and webgpu backends: each runs
// batchNormTraining (the output, the batch statistics it reports and all three gradients under a
// seeded upstream gradient) on whichever backend is active, to be compared with the CPU's.
import * as tf from '@tensorflow/tfjs';
import { batchNormTraining } from '../../src/engine/model/batchNormTraining.js';
import { seeded } from './wasm/backendCompare.js';

export interface BatchNormCaseOptions {
  /** Added to every input value (a large mean). */
  readonly offset?: number;
  /** false: no γ and β (their gradients are not returned). */
  readonly affine?: boolean;
  /** A ReLU after the BatchNorm (fused on wasm). */
  readonly relu?: boolean;
}

export const BATCH_NORM_CASES: [string, number[], BatchNormCaseOptions][] = [
  ['ResNet-20 stage 1 map, batch 8', [8, 32, 32, 16], {}],
  ['32 channels', [4, 16, 16, 32], {}],
  ['64 channels: two gradient passes', [4, 8, 8, 64], {}],
  ['128 channels: groups of 8 vectors', [2, 4, 4, 128], {}],
  ['3 channels: a period of 12 floats and a tail', [3, 5, 7, 3], {}],
  ['6 channels, mean 40 (no cancellation)', [5, 3, 3, 6], { offset: 40 }],
  // 162 periods: two runs of 64 and one of 34, each read twice for its moments.
  ['runs of 64 periods and a shorter last one, mean 40', [2, 9, 9, 16], { offset: 40 }],
  ['BatchNorm1d features [N, F]', [12, 10], {}],
  ['no affine parameters', [4, 6, 6, 8], { affine: false }],
  ['one value per channel per block', [1, 1, 1, 20], {}],
  ['ReLU after it, ResNet-20 map', [8, 32, 32, 16], { relu: true }],
  ['ReLU after it, 64 channels', [4, 8, 8, 64], { relu: true }],
  ['ReLU after it, 7 channels: a tail of 21 floats', [3, 3, 3, 7], { relu: true }],
  ['ReLU after it, BatchNorm1d, no affine parameters', [12, 10], { relu: true, affine: false }],
];

/** y, mean, variance, dx, dγ, dβ of batchNormTraining with a seeded upstream gradient. */
export function runBatchNormCase(
  shape: number[],
  { offset = 0, affine = true, relu = false }: BatchNormCaseOptions,
): tf.Tensor[] {
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
        batchNormTraining(
          xs,
          affine ? g : null,
          affine ? b : null,
          1e-5,
          axes,
          (m) => {
            moments = [tf.keep(m.mean.clone()), tf.keep(m.variance.clone())];
          },
          relu,
        ),
        upstream,
      ),
    );
  const y = batchNormTraining(
    x,
    affine ? gamma : null,
    affine ? beta : null,
    1e-5,
    axes,
    () => {},
    relu,
  );
  const grads = affine
    ? tf.grads(f)([x, gamma, beta])
    : [tf.grad((xs: tf.Tensor) => f(xs, gamma, beta))(x)];
  return [y, ...moments, ...grads];
}
