// BatchNorm's running statistics as one wasm kernel (src/engine/wasm/runningStats.ts) against the
// tfjs ops it replaces, run on the CPU backend: the same floats, bit for bit, for momenta and
// batch sizes of every kind and statistics over many decades, num_batches_tracked + 1 with them.
// And a training-mode BatchNorm on wasm updates through it: one kernel per layer — none in a
// data-parallel replica, whose updates would be discarded.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBatchNorm } from '../../../src/engine/model/normBuilders.js';
import type { PendingUpdate } from '../../../src/engine/model/LayerBuilder.js';
import { RUNNING_STATS } from '../../../src/engine/wasm/runningStats.js';
import { GradientReplica } from '../../../src/engine/wasm/GradientReplica.js';
import { chainGraph } from '../modelHelpers.js';
import { initBackends, runOn, seeded } from './backendCompare.js';

beforeAll(initBackends);

/** Values over six decades, both signs (variances: positive). */
function spread(size: number, seed: number, positive: boolean): Float32Array {
  const r = seeded(2 * size, seed);
  return Float32Array.from({ length: size }, (_, i) => {
    const v = r[i]! * 10 ** (3 * r[size + i]!);
    return positive ? Math.abs(v) : v;
  });
}

describe('running statistics kernel', () => {
  const C = 37;
  const cases: [number, number][] = [
    [0.1, 64 / 63],
    [0.01, 2],
    [1 / 3, 1],
    [0.9, 512 / 511],
  ];
  for (const [momentum, unbiasing] of cases) {
    it(`momentum ${momentum.toFixed(3)}, unbiasing ${unbiasing.toFixed(4)}: the ops' floats`, async () => {
      const seed = Math.round(momentum * 1000);
      const inputs = () => ({
        runningMean: tf.tensor1d(spread(C, seed, false)),
        runningVar: tf.tensor1d(spread(C, seed + 1, true)),
        mean: tf.tensor1d(spread(C, seed + 2, false)),
        variance: tf.tensor1d(spread(C, seed + 3, true)),
      });
      const ops = await runOn('cpu', () => {
        const { runningMean, runningVar, mean, variance } = inputs();
        const blend = (old: tf.Tensor, batch: tf.Tensor) =>
          tf.add(tf.mul(old, tf.sub(1, momentum)), tf.mul(batch, momentum));
        return [blend(runningMean, mean), blend(runningVar, tf.mul(variance, unbiasing))];
      });
      const kernel = await runOn(
        'wasm',
        () =>
          tf.engine().runKernel(RUNNING_STATS, inputs(), { momentum, unbiasing }) as tf.Tensor[],
      );
      for (const k of [0, 1]) {
        const differ = ops[k]!.filter((v, i) => !Object.is(v, kernel[k]![i])).length;
        expect(differ, k === 0 ? 'running_mean' : 'running_var').toBe(0);
      }
      expect(kernel).toHaveLength(2);
    });
  }

  it.each([
    ['float32', 16777215, 16777216],
    ['float32', 2 ** 25, 2 ** 25],
    ['int32', 41, 42],
  ] as const)(
    'with num_batches_tracked (%s %d): count + 1 as the Add op gives it',
    async (dtype, n, next) => {
      const [cpu] = await runOn('cpu', () => [tf.add(tf.scalar(n, dtype), 1)]);
      const kernel = await runOn('wasm', () => {
        const outs = tf.engine().runKernel(
          RUNNING_STATS,
          {
            runningMean: tf.zeros([3]),
            runningVar: tf.ones([3]),
            mean: tf.zeros([3]),
            variance: tf.ones([3]),
            count: tf.scalar(n, dtype),
          },
          { momentum: 0.1, unbiasing: 2 },
        ) as tf.Tensor[];
        expect(outs[2]!.dtype).toBe(dtype);
        return outs;
      });
      expect(kernel).toHaveLength(3);
      expect(kernel[2]![0]).toBe(cpu![0]);
      expect(kernel[2]![0]).toBe(next);
    },
  );

  it('is how a training-mode BatchNorm2d on wasm updates them: one kernel per layer', async () => {
    await tf.setBackend('wasm');
    const layer = buildBatchNorm({
      id: 'bn',
      params: { eps: 1e-5, momentum: 0.1, affine: true, track_running_stats: true },
      inputShapes: [[4, 6, 6]],
      outputShape: [4, 6, 6],
    });
    const weights: Record<string, tf.Tensor> = {
      weight: tf.ones([4]),
      bias: tf.zeros([4]),
      running_mean: tf.zeros([4]),
      running_var: tf.ones([4]),
      num_batches_tracked: tf.scalar(0, 'int32'),
    };
    const updates: PendingUpdate[] = [];
    const x = tf.tensor4d(seeded(2 * 6 * 6 * 4, 5), [2, 6, 6, 4]);
    const profile = await tf.profile(() => {
      const y = layer.apply([x], weights, { training: true, nextSeed: () => 0, updates });
      y.dispose();
    });
    expect(profile.kernels.filter((k) => k.name === RUNNING_STATS)).toHaveLength(1);
    // num_batches_tracked + 1 inside it: no Add of its own.
    expect(profile.kernels.filter((k) => k.name === 'Add')).toHaveLength(0);
    expect(updates.map((u) => u.weight)).toEqual([
      'running_mean',
      'running_var',
      'num_batches_tracked',
    ]);
    expect(updates[2]!.value.dataSync()[0]).toBe(1);
    // With runningStatistics false (a data-parallel replica's): no update and no kernel for it.
    const skipped: PendingUpdate[] = [];
    const quiet = await tf.profile(() => {
      const ctx = { training: true, nextSeed: () => 0, updates: skipped, runningStatistics: false };
      layer.apply([x], weights, ctx).dispose();
    });
    expect(quiet.kernels.filter((k) => k.name === RUNNING_STATS)).toHaveLength(0);
    expect(skipped).toHaveLength(0);
    tf.dispose([x, ...Object.values(weights), ...updates.map((u) => u.value)]);
  });
});

describe('a data-parallel replica (the worker half of a step)', () => {
  it('makes no running-statistics updates: DDP keeps rank 0’s, this half’s would be discarded', async () => {
    await tf.setBackend('wasm');
    const graph = chainGraph(
      [2, 6, 6],
      ['Conv2d', { out_channels: 4, kernel_size: 3, padding: 1 }],
      ['BatchNorm2d'],
      ['ReLU'],
      ['Flatten'],
      ['Linear', { out_features: 3 }],
    );
    const replica = new GradientReplica({ graph, seed: 1, loss: 'cross-entropy' });
    const x = seeded(4 * 6 * 6 * 2, 9);
    const labels = Int32Array.from([0, 1, 2, 1]);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => {
      replica.gradients(x, labels, 4, 1);
    });
    expect(profile.kernels.filter((k) => k.name === RUNNING_STATS)).toHaveLength(0);
    expect(tf.memory().numTensors).toBe(before);
    replica.dispose();
  });
});
