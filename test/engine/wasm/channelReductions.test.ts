// Our wasm Mean and Sum over every axis but the last (BatchNorm's batch statistics, bias
// gradients): the blocked SIMD channel sum against tfjs' CPU backend, the fallbacks to
// tfjs-wasm's own kernels, and the accuracy the blocking buys.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { channelSumPlan } from '../../../src/engine/wasm/simd/channelSumSimd.js';
import { initBackends, runOn, scaledMaxError, seeded } from './backendCompare.js';

beforeAll(initBackends);

const CASES: [string, number[], number | number[], boolean][] = [
  ['ResNet-20 layer 1 BatchNorm, batch 4', [4, 32, 32, 16], [0, 1, 2], false],
  ['64 channels: two passes of 8 vectors', [8, 8, 8, 64], [0, 1, 2], false],
  ['52 channels: passes of 6 and 7 vectors', [3, 5, 7, 52], [0, 1, 2], true],
  ['6 channels, a tail after the last period', [3, 5, 6], [0, 1], false],
  ['fewer values than one period', [1, 1, 6], [0, 1], false],
  ['more periods than one block, not a multiple of it', [7, 13, 11, 12], [0, 1, 2], false],
  ['flat features [N, F]', [64, 10], 0, false],
  ['13 channels: period too long, tfjs-wasm', [4, 3, 13], [0, 1], false],
  ['not every leading axis, tfjs-wasm', [4, 3, 8], [1], false],
  ['all axes, tfjs-wasm', [4, 3, 8], [0, 1, 2], true],
];

describe.each(CASES)('Mean and Sum on wasm: %s', (_name, shape, axis, keepDims) => {
  const size = shape.reduce((a, b) => a * b);
  it.each(['mean', 'sum'] as const)('%s equals the CPU backend', async (op) => {
    const run = (backend: 'cpu' | 'wasm') =>
      runOn(backend, () => {
        const x = tf.tensor(seeded(size, 17), shape);
        return op === 'mean' ? tf.mean(x, axis, keepDims) : tf.sum(x, axis, keepDims);
      });
    const [w] = await run('wasm');
    const [cpu] = await run('cpu');
    expect(scaledMaxError(w!, cpu!)).toBeLessThan(1e-5);
  });
});

it('keeps the shapes tfjs gives Mean', async () => {
  await tf.setBackend('wasm');
  const m = tf.mean(tf.ones([2, 3, 4, 64]), [0, 1, 2], true);
  expect(m.shape).toEqual([1, 1, 1, 64]);
  expect(new Set(m.dataSync())).toEqual(new Set([1]));
  m.dispose();
});

it('plans a pass per chunk of at most 12 vectors', () => {
  expect(channelSumPlan(16)).toEqual({ period: 16, chunks: [{ first: 0, vectors: 4 }] });
  expect(channelSumPlan(6)).toEqual({ period: 12, chunks: [{ first: 0, vectors: 3 }] });
  expect(channelSumPlan(64)?.chunks).toEqual([
    { first: 0, vectors: 8 },
    { first: 8, vectors: 8 },
  ]);
  expect(channelSumPlan(13)).toBeNull();
});

// One float32 sum over 262,144 terms (what a sequential loop does) is off by ~1e-4 relative;
// summed in blocks added in float64 the error is that of one block, ~1e-7.
it('adds long channels to float32 rounding of one block, not of the whole sum', async () => {
  const shape = [64, 64, 64, 4];
  const size = shape.reduce((a, b) => a * b);
  const values = seeded(size, 5).map((v) => 0.5 + 0.25 * v);
  const exact = new Float64Array(4);
  values.forEach((v, i) => (exact[i % 4]! += v));
  const [sums, means] = await runOn('wasm', () => {
    const x = tf.tensor(values, shape);
    return [tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1, 2])];
  });
  for (let c = 0; c < 4; c++) {
    expect(Math.abs(sums![c]! - exact[c]!) / exact[c]!).toBeLessThan(3e-7);
    expect(Math.abs(means![c]! * (size / 4) - exact[c]!) / exact[c]!).toBeLessThan(3e-7);
  }
});
