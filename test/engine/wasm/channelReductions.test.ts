// Our wasm Mean and Sum over every axis but the last (BatchNorm's batch statistics, bias
// gradients) and over every axis but the first and the last (a global average pool, image by
// image): the blocked SIMD channel sum against tfjs' CPU backend, the fallbacks to tfjs-wasm's
// own kernels, and the accuracy the blocking buys. Also Mean's gradient and the broadcasting
// Tile it runs on wasm (meanGradient.ts, tile.ts).
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
  ['the middle axis of [N, L, C], image by image', [4, 3, 8], [1], false],
  ['global average pool, ResNet-20 [32, 8, 8, 64]', [32, 8, 8, 64], [1, 2], true],
  ['global pool, 3 channels: periods and a tail per image', [3, 5, 5, 3], [1, 2], true],
  ['global pool, more periods than a block, not kept', [2, 13, 11, 12], [1, 2], false],
  ['global pool of 1×1 maps (under one period)', [5, 1, 1, 6], [1, 2], true],
  ['global pool, 13 channels: tfjs-wasm', [2, 4, 4, 13], [1, 2], true],
  ['the first two axes only, tfjs-wasm', [4, 3, 5, 8], [1], false],
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

describe("Mean's gradient on wasm", () => {
  it.each([
    ['global average pool', [4, 8, 8, 64], [1, 2]],
    ['BatchNorm-like, every axis but the last', [3, 5, 7, 16], [0, 1, 2]],
    ['one middle axis', [2, 6, 10], [1]],
    ['all axes', [3, 4, 5], [0, 1, 2]],
  ] as [string, number[], number[]][])(
    '%s: the same floats as the CPU',
    async (_n, shape, axes) => {
      const size = shape.reduce((a, b) => a * b);
      const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const run = (backend: 'cpu' | 'wasm') =>
        runOn(backend, () => {
          const x = tf.tensor(seeded(size, 5), shape);
          // dy differs from element to element of the mean.
          const dy = tf.tensor(
            seeded(
              kept.reduce((a, b) => a * b),
              9,
            ),
            kept,
          );
          return tf.grad((v: tf.Tensor) => tf.mean(v, axes, true))(x, dy);
        });
      const [w] = await run('wasm');
      const [cpu] = await run('cpu');
      expect(Array.from(w!)).toEqual(Array.from(cpu!));
    },
  );

  it('runs a global average pool and its gradient with no Transpose, Multiply or ones', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(seeded(32 * 8 * 8 * 64, 3), [32, 8, 8, 64]);
    const profile = await tf.profile(() => {
      const dy = tf.tensor(seeded(32 * 64, 4), [32, 1, 1, 64]);
      tf.dispose([dy, tf.grad((v: tf.Tensor) => tf.mean(v, [1, 2], true))(x, dy)]);
    });
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain('Mean');
    expect(names).toContain('Tile');
    expect(names).not.toContain('Transpose');
    expect(names).not.toContain('Multiply');
    x.dispose();
  });
});

describe('Tile on wasm', () => {
  it.each([
    ['a global pool gradient', [32, 1, 1, 64], [1, 8, 8, 1]],
    ['the first axis', [1, 3, 4], [5, 1, 1]],
    ['the last axis', [3, 4, 1], [1, 1, 7]],
    ['every axis', [1, 1, 1], [2, 3, 4]],
    ['axes apart', [2, 1, 3, 1], [1, 5, 1, 6]],
    ['nothing repeated', [2, 3], [1, 1]],
    ['an axis of size 2, tfjs-wasm', [2, 3], [3, 1]],
  ] as [string, number[], number[]][])(
    '%s: the same floats as the CPU',
    async (_n, shape, reps) => {
      const size = shape.reduce((a, b) => a * b);
      const run = (backend: 'cpu' | 'wasm') =>
        runOn(backend, () => tf.tile(tf.tensor(seeded(size, 11), shape), reps));
      const [w] = await run('wasm');
      const [cpu] = await run('cpu');
      expect(Array.from(w!)).toEqual(Array.from(cpu!));
    },
  );

  it('tiles int32 on tfjs-wasm', async () => {
    await tf.setBackend('wasm');
    const t = tf.tile(tf.tensor([[1], [2]], [2, 1], 'int32'), [1, 3]);
    expect(Array.from(t.dataSync())).toEqual([1, 1, 1, 2, 2, 2]);
    t.dispose();
  });
});
