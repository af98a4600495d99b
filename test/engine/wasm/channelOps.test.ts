// Our wasm per-channel Add/Sub/Multiply against the CPU backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackends, runOn, scaledMaxError, seeded } from './backendCompare.js';

beforeAll(initBackends);

const t = (shape: number[], seed: number): tf.Tensor => {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(seeded(size, seed), shape);
};

async function agree(fn: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  const cpu = await runOn('cpu', fn);
  const wasm = await runOn('wasm', fn);
  expect(wasm).toHaveLength(cpu.length);
  cpu.forEach((c, i) => {
    expect(wasm[i]!.length).toBe(c.length);
    expect(scaledMaxError(wasm[i]!, c)).toBeLessThan(1e-5);
  });
}

describe('per-channel Add/Sub/Multiply on wasm', () => {
  const shapes = [
    [4, 7, 9, 6],
    [2, 3, 5, 16],
    [3, 10, 20],
    [2, 4, 4, 200],
  ];
  it.each(shapes)('map %j with a channel vector, both operand orders', async (...shape) => {
    const c = shape[shape.length - 1]!;
    await agree(() => {
      const map = t(shape, 3);
      const v = t([c], 4);
      return [
        tf.add(map, v),
        tf.add(v, map),
        tf.sub(map, v),
        tf.sub(v, map),
        tf.mul(map, v),
        tf.mul(v, map),
      ];
    });
  });
  it('other broadcasts and equal shapes run the original kernels', async () => {
    await agree(() => [
      tf.add(t([2, 3, 4, 5], 5), t([4, 5], 6)),
      tf.sub(t([2, 3, 4, 5], 7), t([2, 3, 4, 5], 8)),
      tf.mul(t([2, 3, 4, 5], 9), tf.scalar(3)),
      tf.add(t([2, 1, 5], 10), t([5], 11)),
    ]);
  });
  it('gradients through a biased, normalized map match', async () => {
    await agree(() => {
      const x = t([4, 6, 6, 3], 12);
      const gamma = t([3], 13);
      const beta = t([3], 14);
      const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.add(tf.mul(tf.sub(a, tf.mean(a, [0, 1, 2])), g), b)));
      return tf.grads(f)([x, gamma, beta]);
    });
  });
});
