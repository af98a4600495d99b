// Our wasm Sum (the SIMD lane sum for sums over every axis but the last, tfjs-wasm's own for the
// rest) against tfjs' CPU backend within 1e-4.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackends, runOn, scaledMaxError, seeded } from './backendCompare.js';

beforeAll(initBackends);

const SUMS: [string, number[], number | number[], boolean][] = [
  ['LeNet conv1 bias gradient, batch 32', [32, 28, 28, 6], [0, 1, 2], false],
  ['LeNet conv2 bias gradient', [3, 10, 10, 16], [0, 1, 2], false],
  ['dense bias gradient, 7 channels', [5, 7], 0, false],
  ['5 channels, keepDims', [2, 3, 5, 5], [0, 1, 2], true],
  ['axes negative and unordered', [2, 4, 3, 8], [-2, 0, 1], false],
  ['a tail after the last whole period', [3, 5, 6], [0, 1], false],
  ['fewer values than one period', [1, 1, 6], [0, 1], false],
  ['13 channels: period too long, tfjs-wasm', [4, 3, 13], [0, 1], false],
  ['not every leading axis, tfjs-wasm', [4, 3, 6], [1], false],
  ['all axes, tfjs-wasm', [4, 3, 6], [0, 1, 2], false],
  ['one channel', [6, 9, 1], [0, 1], true],
];

describe.each(SUMS)('Sum on wasm: %s', (_name, shape, axis, keepDims) => {
  it('equals the CPU sum', async () => {
    const run = (backend: 'cpu' | 'wasm') =>
      runOn(backend, () =>
        tf.sum(
          tf.tensor(
            seeded(
              shape.reduce((a, b) => a * b),
              41,
            ),
            shape,
          ),
          axis,
          keepDims,
        ),
      );
    const [w] = await run('wasm');
    const [cpu] = await run('cpu');
    expect(scaledMaxError(w!, cpu!)).toBeLessThan(1e-4);
  });
});

it('keeps the shape tfjs gives the result', async () => {
  await tf.setBackend('wasm');
  const s = tf.sum(tf.ones([2, 3, 4, 6]), [0, 1, 2], true);
  expect(s.shape).toEqual([1, 1, 1, 6]);
  expect([...s.dataSync()]).toEqual([24, 24, 24, 24, 24, 24]);
  s.dispose();
});
