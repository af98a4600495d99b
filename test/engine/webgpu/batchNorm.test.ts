// Training-mode BatchNorm on webgpu runs as our WGSL programs (src/engine/webgpu/
// batchNormPrograms.ts); it must equal the tfjs-op path on the cpu backend: output, batch
// statistics and all three gradients, for maps, feature matrices and no affine parameters.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/selectBackend.js';
import { takeGpuErrors } from '../../../src/engine/webgpu/gpuErrors.js';
import { BATCH_NORM_CASES, runBatchNormCase } from '../batchNormCases.js';
import { scaledMaxError } from '../wasm/backendCompare.js';
import { probe } from './adapter.js';
import { CompiledModel } from '../../../src/engine/model/CompiledModel.js';
import { chainGraph, randomInput, randomizeWeights } from '../modelHelpers.js';

async function values(shape: number[], options: (typeof BATCH_NORM_CASES)[number][2]) {
  const list = tf.tidy(() => runBatchNormCase(shape, options));
  const out = await Promise.all(list.map(async (t) => new Float32Array(await t.data())));
  tf.dispose(list);
  return out;
}

describe.skipIf(!probe.ok)('BatchNorm training on webgpu', () => {
  it.each(BATCH_NORM_CASES)(
    '%s: y, μ, σ², dx, dγ, dβ equal the cpu backend',
    async (_n, shape, options) => {
      await selectBackend('cpu');
      const want = await values(shape, options);
      await selectBackend('webgpu');
      const got = await values(shape, options);
      expect(got.length).toBe(want.length);
      const errors = got.map((g, k) => scaledMaxError(g, want[k]!));
      expect(Math.max(...errors)).toBeLessThan(1e-5);
      expect(takeGpuErrors()).toEqual([]);
    },
  );

  it("runs the WGSL programs, not tfjs' moments and rsqrt, and leaves no tensor behind", async () => {
    await selectBackend('webgpu');
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => tf.tidy(() => runBatchNormCase([2, 4, 4, 16], {})));
    tf.dispose(profile.result as tf.Tensor[]);
    const names = new Set(profile.kernels.map((k) => k.name));
    expect(names.has('Rsqrt')).toBe(false);
    expect(names.has('Mean')).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });

  // The running statistics: one WGSL dispatch each with a numeric momentum, tfjs ops with
  // momentum null (the cumulative average); PyTorch's rule either way.
  it.each([0.1, null])(
    'updates running_mean, running_var and num_batches_tracked as the cpu backend does (momentum %s)',
    async (momentum) => {
      const graph = chainGraph(
        [3, 6, 6],
        ['Conv2d', { out_channels: 8, kernel_size: 3, padding: 1 }],
        ['BatchNorm2d', { momentum }],
        ['ReLU'],
        ['Flatten'],
        ['BatchNorm1d', { momentum }],
      );
      const updates = async (backend: 'cpu' | 'webgpu') => {
        await selectBackend(backend);
        const model = CompiledModel.compile(graph, 3);
        randomizeWeights(model, 4);
        const { ours } = randomInput([3, 6, 6], 5, 6);
        const ctx = {
          training: true,
          nextSeed: () => 0,
          updates: [] as { weight: string; value: tf.Tensor }[],
        };
        tf.dispose(tf.tidy(() => model.apply(ours, ctx)));
        const out = new Map<string, Float32Array>();
        for (const u of ctx.updates) out.set(u.weight, new Float32Array(await u.value.data()));
        tf.dispose([ours, ...ctx.updates.map((u) => u.value)]);
        model.dispose();
        return out;
      };
      const want = await updates('cpu');
      const got = await updates('webgpu');
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      expect(got.size).toBe(6);
      for (const [key, values] of want) {
        expect(scaledMaxError(got.get(key)!, values), key).toBeLessThan(1e-6);
      }
      expect(takeGpuErrors()).toEqual([]);
    },
  );
});
