// The fused training-mode BatchNorm kernels on wasm (src/engine/wasm/batchNorm.ts) against the
// tfjs-op path of batchNormTraining on the CPU backend: output, batch statistics and all three
// gradients, on channels-last maps and feature matrices, whole periods and tails.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '../../../src/engine/wasm/batchNorm.js';
import { BATCH_NORM_CASES, runBatchNormCase } from '../batchNormCases.js';
import { initBackends, runOn, scaledMaxError, type Backend } from './backendCompare.js';

beforeAll(initBackends);

describe.each(BATCH_NORM_CASES)('fused BatchNorm on wasm: %s', (_name, shape, options) => {
  it('equals the tfjs ops on the CPU: y, μ, σ², dx, dγ, dβ', async () => {
    const cpu = await runOn('cpu', () => runBatchNormCase(shape, options));
    const wasm = await runOn('wasm', () => runBatchNormCase(shape, options));
    expect(wasm.length).toBe(cpu.length);
    // Float32 rounding apart (the CPU's long sums are float32, ours are float64 per block).
    const errors = wasm.map((w, k) => scaledMaxError(w, cpu[k]!));
    expect(Math.max(...errors)).toBeLessThan(1e-5);
  });
});

describe('which path runs', () => {
  const kernelsOf = async (backend: Backend) => {
    await tf.setBackend(backend);
    const profile = await tf.profile(() => tf.tidy(() => runBatchNormCase([2, 4, 4, 16], {})));
    tf.dispose(profile.result as tf.Tensor[]);
    return new Set(profile.kernels.map((k) => k.name));
  };

  it('the fused kernels on wasm, the tfjs ops elsewhere', async () => {
    const onWasm = await kernelsOf('wasm');
    expect(onWasm.has(BATCH_NORM_TRAIN)).toBe(true);
    expect(onWasm.has(BATCH_NORM_TRAIN_GRAD)).toBe(true);
    expect(onWasm.has('Rsqrt')).toBe(false);
    const onCpu = await kernelsOf('cpu');
    expect(onCpu.has(BATCH_NORM_TRAIN)).toBe(false);
    expect(onCpu.has('Rsqrt')).toBe(true);
  });

  it('leaves no tensor behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    tf.dispose(tf.tidy(() => runBatchNormCase([2, 4, 4, 16], {})));
    expect(tf.memory().numTensors).toBe(before);
  });
});
