// The fused training-mode BatchNorm kernels on wasm (src/engine/wasm/batchNorm.ts) against the
// tfjs-op path of batchNormTraining on the CPU backend: output, batch statistics and all three
// gradients, on channels-last maps and feature matrices, whole periods and tails.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '../../../src/engine/wasm/batchNorm.js';
import type { GraphDocument } from '../../../src/core/graph/document.js';
import { BATCH_NORM_CASES, runBatchNormCase } from '../batchNormCases.js';
import { trainingPassOf } from '../modelHelpers.js';
import { initBackends, runOn, scaledMaxError, seeded, type Backend } from './backendCompare.js';

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

// CompiledModel runs a ReLU inside the BatchNorm or residual Add before it when nothing else
// reads that layer's output (training only): on wasm no Relu kernel runs for it, and the values
// and gradients are those of the layers apart (the CPU backend's tfjs ops).
describe('a BatchNorm or an Add and the ReLU after it, in a compiled model', () => {
  const graph: GraphDocument = {
    format: 'nnb-graph',
    version: 1,
    nodes: [
      { id: 'x', type: 'Input', params: { shape: [3, 8, 8] } },
      { id: 'conv1', type: 'Conv2d', params: { out_channels: 8, kernel_size: 3, padding: 1 } },
      { id: 'bn1', type: 'BatchNorm2d', params: {} },
      { id: 'relu1', type: 'ReLU', params: {} },
      { id: 'conv2', type: 'Conv2d', params: { out_channels: 8, kernel_size: 3, padding: 1 } },
      { id: 'bn2', type: 'BatchNorm2d', params: {} },
      { id: 'relu2', type: 'ReLU', params: {} },
      { id: 'join', type: 'Add', params: {} },
      { id: 'relu3', type: 'ReLU', params: {} },
      { id: 'flat', type: 'Flatten', params: {} },
      { id: 'fc', type: 'Linear', params: { out_features: 3 } },
    ],
    edges: [
      { source: 'x', target: 'conv1' },
      { source: 'conv1', target: 'bn1' },
      { source: 'bn1', target: 'relu1' },
      { source: 'relu1', target: 'conv2' },
      { source: 'conv2', target: 'bn2' },
      { source: 'bn2', target: 'relu2' },
      // bn2 is read twice: its ReLU stays a layer of its own.
      { source: 'relu2', target: 'join', targetPort: 0 },
      { source: 'bn2', target: 'join', targetPort: 1 },
      { source: 'join', target: 'relu3' },
      { source: 'relu3', target: 'flat' },
      { source: 'flat', target: 'fc' },
    ],
  };

  /** The training-mode output and the gradients of every weight, and the Relu kernels run. */
  const trainingPass = async (backend: Backend) => {
    await tf.setBackend(backend);
    const { values, kernels } = await trainingPassOf(graph, [3, 8, 8]);
    return { values, relus: kernels.filter((k) => k.name === 'Relu').length };
  };

  it('runs ReLUs inside their BatchNorm and Add on wasm, with the values of the layers apart', async () => {
    const cpu = await trainingPass('cpu');
    const wasm = await trainingPass('wasm');
    expect(cpu.relus).toBe(3);
    // relu1 inside bn1, relu3 inside the join; relu2 stays (bn2 has a second reader).
    expect(wasm.relus).toBe(1);
    expect(wasm.values.length).toBe(cpu.values.length);
    const errors = wasm.values.map((w, k) => scaledMaxError(w, cpu.values[k]!));
    expect(Math.max(...errors)).toBeLessThan(1e-5);
  });
});

// The forward's mean and variance come from one read of x: per run of 64 periods its sum and its
// squared deviations from its own mean, combined in float64 (simd/batchNormSimd.ts,
// generateMoments). Against the same statistics in float64, far from zero (where a float32
// shift's rounding would show), over whole runs, a shorter last run and a tail.
describe('the batch statistics from one read, against float64', () => {
  const statistics = (shape: number[], offset: number, spread: number) => {
    const size = shape.reduce((a, b) => a * b);
    const channels = shape[shape.length - 1]!;
    const data = seeded(size, 11).map((v) => offset + v * spread);
    const x = tf.tensor(data, shape);
    const gamma = tf.ones([channels]);
    const beta = tf.zeros([channels]);
    const [y, mean, variance, invStd] = tf
      .engine()
      .runKernel(BATCH_NORM_TRAIN, { x, gamma, beta }, { varianceEpsilon: 1e-5 }) as tf.Tensor[];
    const result = { mean: mean!.dataSync(), variance: variance!.dataSync() };
    tf.dispose([x, gamma, beta, y!, mean!, variance!, invStd!]);
    // Float64, two passes.
    const count = size / channels;
    const mean64 = new Float64Array(channels);
    const var64 = new Float64Array(channels);
    data.forEach((v, i) => (mean64[i % channels]! += v / count));
    data.forEach((v, i) => (var64[i % channels]! += (v - mean64[i % channels]!) ** 2 / count));
    return { ...result, mean64, var64 };
  };

  // Spreads down to ~16 float32 steps at 1000: a run's shift (its float32 mean) is then off its
  // mean by as much as the values spread.
  it.each([
    ['two runs of 64 periods and one of 34, mean 1000', [2, 9, 9, 16], 1000, 3],
    ['the same spread over 1e-3 (16 float32 steps)', [2, 9, 9, 16], 1000, 1e-3],
    ['3 channels: one short run and a tail, mean 250', [3, 5, 7, 3], 250, 1e-2],
    ['64 channels: four chunks of vectors, mean −300', [4, 8, 8, 64], -300, 1],
  ])('%s', async (_name, shape, offset, spread) => {
    await tf.setBackend('wasm');
    const s = statistics(shape as number[], offset as number, spread as number);
    s.mean64.forEach((m, c) => {
      // Within one float32 rounding of the mean.
      expect(Math.abs(s.mean[c]! - m)).toBeLessThanOrEqual(Math.abs(m) * 2 ** -24);
      expect(Math.abs(s.variance[c]! - s.var64[c]!)).toBeLessThan(s.var64[c]! * 1e-6);
    });
  });
});
