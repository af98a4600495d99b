// Sum over every axis but the last (bias gradients) or over the leading axis runs on webgpu as one
// dispatch of our own (installChannelSum, batchNormPrograms.ts); other sums keep tfjs' kernel.
// All against the cpu.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/selectBackend.js';
import { takeGpuErrors } from '../../../src/engine/webgpu/gpuErrors.js';
import { scaledMaxError, seeded } from '../wasm/backendCompare.js';
import { probe } from './adapter.js';

const SUMS: [string, number[], number | number[], boolean][] = [
  ['conv bias gradient [N, H, W, C]', [4, 9, 7, 16], [0, 1, 2], false],
  ['kept dimensions', [2, 5, 5, 3], [0, 1, 2], true],
  ['axes negative and unordered', [3, 4, 5, 6], [-2, 0, 1], false],
  ['linear bias gradient [N, F]', [33, 10], 0, false],
  ['the leading axis (the filter gradient sums its sample groups)', [6, 27, 16], 0, false],
  ['the leading axis, kept', [3, 4, 5], [0], true],
  ['another axis: tfjs', [3, 4, 5, 6], [1, 2], false],
  ['every axis: tfjs', [3, 4, 6], [0, 1, 2], false],
];

async function sumOn(
  backend: 'cpu' | 'webgpu',
  shape: number[],
  axis: number | number[],
  keep: boolean,
) {
  await selectBackend(backend);
  const x = tf.tensor(
    seeded(
      shape.reduce((a, b) => a * b),
      9,
    ),
    shape,
  );
  const s = tf.sum(x, axis, keep);
  const out = { shape: s.shape, values: new Float32Array(await s.data()) };
  tf.dispose([x, s]);
  return out;
}

describe.skipIf(!probe.ok)('Sum on webgpu', () => {
  it.each(SUMS)('%s: equals the cpu backend', async (_name, shape, axis, keep) => {
    const want = await sumOn('cpu', shape, axis, keep);
    const got = await sumOn('webgpu', shape, axis, keep);
    expect(got.shape).toEqual(want.shape);
    expect(scaledMaxError(got.values, want.values)).toBeLessThan(1e-5);
    expect(takeGpuErrors()).toEqual([]);
  });

  it('sums int32 tensors with tfjs kernel', async () => {
    await selectBackend('webgpu');
    const s = tf.sum(tf.tensor([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), 0);
    expect(s.dtype).toBe('int32');
    expect([...(await s.data())]).toEqual([9, 12]);
    s.dispose();
  });
});
