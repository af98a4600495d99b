// The fused training-mode BatchNorm kernels on wasm (src/engine/wasm/batchNorm.ts) against the
// tfjs-op path of batchNormTraining on the CPU backend: output, batch statistics and all three
// gradients, on channels-last maps and feature matrices, whole periods and tails.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '../../../src/engine/wasm/batchNorm.js';
import type { GraphDocument } from '../../../src/core/graph/document.js';
import { CompiledModel } from '../../../src/engine/model/CompiledModel.js';
import { BATCH_NORM_CASES, runBatchNormCase } from '../batchNormCases.js';
import { randomInput, randomizeWeights } from '../modelHelpers.js';
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

  /** The training-mode output and the gradients of every weight, and the kernels that ran. */
  const trainingPass = async (backend: Backend) => {
    await tf.setBackend(backend);
    const model = CompiledModel.compile(graph, 1);
    randomizeWeights(model, 2);
    const { ours } = randomInput([3, 8, 8], 4, 3);
    const vars = model.weights.filter((w) => w.trainable).map((w) => w.variable);
    const profile = await tf.profile(() =>
      tf.tidy(() => {
        const ctx = { training: true, nextSeed: () => 0, updates: [] };
        const f = () => tf.sum(tf.square(model.apply(ours, ctx))) as tf.Scalar;
        const { value, grads } = tf.variableGrads(f, vars);
        tf.dispose(ctx.updates.map((u: { value: tf.Tensor }) => u.value));
        return [value, ...vars.map((v) => grads[v.name]!)];
      }),
    );
    const list = profile.result as tf.Tensor[];
    const values = await Promise.all(list.map(async (t) => new Float32Array(await t.data())));
    tf.dispose([...list, ours]);
    model.dispose();
    return { values, relus: profile.kernels.filter((k) => k.name === 'Relu').length };
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
