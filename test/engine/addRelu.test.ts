// relu(a + b) as one pass each way (a residual join and its ReLU, src/engine/model/addRelu.ts):
// on wasm the fused kernels, on webgpu the WGSL programs; value and both gradients equal to tfjs'
// AddN + Relu on the CPU, including the floats after the last whole row of the SIMD loop.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addRelu, addReluFork } from '../../src/engine/model/addRelu.js';
import { selectBackend } from '../../src/engine/selectBackend.js';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { trainingPassOf } from './modelHelpers.js';
import {
  ADD_RELU,
  ADD_RELU_FORK,
  RELU_GRAD,
  RELU_GRAD_SUM,
} from '../../src/engine/wasm/addRelu.js';
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

// Where the ReLU's output has two readers (a residual block's input), wasm hands out two tensors
// of it (addReluFork), and the gradient adds the two readers' gradients inside the mask's pass.
/** One tensor for both readers: what tfjs does without the fork. */
const twice = (y: tf.Tensor): [tf.Tensor, tf.Tensor] => [y, y];

async function forkPass(backend: 'cpu' | 'wasm', shape: number[]) {
  await selectBackend(backend);
  const size = shape.reduce((a, b) => a * b);
  const a = tf.tensor(seeded(size, 1), shape);
  const b = tf.tensor(seeded(size, 2), shape);
  const up1 = tf.tensor(seeded(size, 3), shape);
  const up2 = tf.tensor(seeded(size, 4), shape);
  const profile = await tf.profile(() =>
    tf.tidy(() => {
      const f = (u: tf.Tensor, v: tf.Tensor) => {
        const [y1, y2] = addReluFork(u, v) ?? twice(addRelu(u, v));
        return tf.add(tf.sum(tf.mul(y1, up1)), tf.sum(tf.mul(y2, up2)));
      };
      const pair = addReluFork(a, b) ?? twice(addRelu(a, b));
      return [...pair, ...tf.grads(f)([a, b])];
    }),
  );
  const list = profile.result as tf.Tensor[];
  const values = await Promise.all(list.map(async (t) => new Float32Array(await t.data())));
  tf.dispose([...list, a, b, up1, up2]);
  const mapAdds = profile.kernels.filter(
    (k) => k.name === 'Add' && tf.util.arraysEqual(k.inputShapes[0] ?? [], shape),
  ).length;
  return { values, kernels: new Set(profile.kernels.map((k) => k.name)), mapAdds };
}

describe.each(SHAPES)('relu(a + b) read twice, on %j', (...shape) => {
  it('wasm: one pass each way, the readers’ gradients added in the mask’s pass', async () => {
    const want = await forkPass('cpu', shape);
    const got = await forkPass('wasm', shape);
    expect(got.kernels.has(ADD_RELU_FORK) && got.kernels.has(RELU_GRAD_SUM)).toBe(true);
    // tfjs' own map-sized Add of the two gradients is gone (the CPU path has it).
    expect(want.mapAdds).toBe(1);
    expect(got.mapAdds).toBe(0);
    got.values.forEach((v, k) => expect(scaledMaxError(v, want.values[k]!)).toBeLessThan(1e-6));
  });
});

// In a compiled model: a residual join whose ReLU is read by the next block's conv and its
// shortcut takes the fork in training on wasm; the last join (one reader) the plain fused pair.
describe('a residual join read twice, in a compiled model', () => {
  const graph: GraphDocument = {
    format: 'nnb-graph',
    version: 1,
    nodes: [
      { id: 'x', type: 'Input', params: { shape: [3, 8, 8] } },
      { id: 'c0', type: 'Conv2d', params: { out_channels: 8, kernel_size: 1 } },
      { id: 'c1', type: 'Conv2d', params: { out_channels: 8, kernel_size: 3, padding: 1 } },
      { id: 'b1', type: 'BatchNorm2d', params: {} },
      { id: 'join1', type: 'Add', params: {} },
      { id: 'r1', type: 'ReLU', params: {} },
      { id: 'c2', type: 'Conv2d', params: { out_channels: 8, kernel_size: 3, padding: 1 } },
      { id: 'b2', type: 'BatchNorm2d', params: {} },
      { id: 'join2', type: 'Add', params: {} },
      { id: 'r2', type: 'ReLU', params: {} },
      { id: 'flat', type: 'Flatten', params: {} },
      { id: 'fc', type: 'Linear', params: { out_features: 3 } },
    ],
    edges: [
      { source: 'x', target: 'c0' },
      { source: 'x', target: 'c1' },
      { source: 'c1', target: 'b1' },
      { source: 'b1', target: 'join1', targetPort: 0 },
      { source: 'c0', target: 'join1', targetPort: 1 },
      { source: 'join1', target: 'r1' },
      // r1 is the next block's input: its conv and its shortcut read it.
      { source: 'r1', target: 'c2' },
      { source: 'c2', target: 'b2' },
      { source: 'b2', target: 'join2', targetPort: 0 },
      { source: 'r1', target: 'join2', targetPort: 1 },
      { source: 'join2', target: 'r2' },
      { source: 'r2', target: 'flat' },
      { source: 'flat', target: 'fc' },
    ],
  };

  const trainingPass = async (backend: 'cpu' | 'wasm') => {
    await selectBackend(backend);
    const { values, kernels } = await trainingPassOf(graph, [3, 8, 8]);
    const count = (name: string) => kernels.filter((k) => k.name === name).length;
    // Adds of two maps (not the convs' bias adds, a map and a vector).
    const mapAdds = kernels.filter(
      (k) => k.name === 'Add' && k.inputShapes.every((s) => s?.length === 4),
    ).length;
    return { values, forks: count(ADD_RELU_FORK), sums: count(RELU_GRAD_SUM), mapAdds };
  };

  it('forks the join read twice on wasm, with the gradients of the layers apart', async () => {
    const cpu = await trainingPass('cpu');
    const wasm = await trainingPass('wasm');
    expect([wasm.forks, wasm.sums]).toEqual([1, 1]);
    // No map-sized Add on wasm: the joins are fused kernels, and r1's two readers' gradients are
    // added in the mask's pass (without the fork tfjs adds them first: one Add of [4, 8, 8, 8]).
    expect(wasm.mapAdds).toBe(0);
    expect(wasm.values.length).toBe(cpu.values.length);
    const errors = wasm.values.map((w, k) => scaledMaxError(w, cpu.values[k]!));
    expect(Math.max(...errors)).toBeLessThan(1e-5);
  });
});
