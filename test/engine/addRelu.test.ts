// relu(a + b) as one pass each way (a residual join and its ReLU, src/engine/model/addRelu.ts):
// on wasm the fused kernels, on webgpu the WGSL programs; value and both gradients equal to tfjs'
// AddN + Relu on the CPU, including the floats after the last whole row of the SIMD loop.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addRelu } from '../../src/engine/model/addRelu.js';
import { selectBackend } from '../../src/engine/selectBackend.js';
import { ADD_RELU, RELU_GRAD } from '../../src/engine/wasm/addRelu.js';
import { takeGpuErrors } from '../../src/engine/webgpu/gpuErrors.js';
import { initBackends, scaledMaxError, seeded } from './wasm/backendCompare.js';
import { probe } from './webgpu/adapter.js';

beforeAll(initBackends);

const SHAPES = [
  [4, 16, 16, 16], // whole rows
  [3, 5, 7, 3], // 315 floats: a tail of 27
  [2, 10], // fewer floats than one row
];

async function pass(backend: 'cpu' | 'wasm' | 'webgpu', shape: number[]) {
  await selectBackend(backend);
  const size = shape.reduce((a, b) => a * b);
  const a = tf.tensor(seeded(size, 1), shape);
  const b = tf.tensor(seeded(size, 2), shape);
  const up = tf.tensor(seeded(size, 3), shape);
  const profile = await tf.profile(() =>
    tf.tidy(() => {
      const f = (u: tf.Tensor, v: tf.Tensor) => tf.sum(tf.mul(addRelu(u, v), up));
      return [addRelu(a, b), ...tf.grads(f)([a, b])];
    }),
  );
  const list = profile.result as tf.Tensor[];
  const values = await Promise.all(list.map(async (t) => new Float32Array(await t.data())));
  tf.dispose([...list, a, b, up]);
  return { values, kernels: new Set(profile.kernels.map((k) => k.name)) };
}

describe.each(SHAPES)('relu(a + b) on %j', (...shape) => {
  it('wasm: the fused kernels, equal to the CPU', async () => {
    const want = await pass('cpu', shape);
    const got = await pass('wasm', shape);
    expect(got.kernels.has(ADD_RELU) && got.kernels.has(RELU_GRAD)).toBe(true);
    expect(got.kernels.has('Relu')).toBe(false);
    got.values.forEach((v, k) => expect(scaledMaxError(v, want.values[k]!)).toBeLessThan(1e-6));
    // Both signs are there: the mask matters.
    expect(want.values[0]!.some((v) => v === 0) && want.values[0]!.some((v) => v > 0)).toBe(true);
  });

  it.skipIf(!probe.ok)('webgpu: the WGSL programs, equal to the CPU', async () => {
    const want = await pass('cpu', shape);
    const got = await pass('webgpu', shape);
    expect(got.kernels.has('Relu')).toBe(false);
    got.values.forEach((v, k) => expect(scaledMaxError(v, want.values[k]!)).toBeLessThan(1e-6));
    expect(takeGpuErrors()).toEqual([]);
  });
});
