// The webgpu backend (Dawn through the `webgpu` package) on whatever adapter this machine has:
// llvmpipe in CI (bookworm-backports' Mesa, installed by .ci/run), a real GPU elsewhere. Training
// steps must equal the cpu backend's, read-backs deferred or not, and GPU errors must surface.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultOptimizer, type Optimizer } from '../../../src/api/training.js';
import type { GraphDocument } from '../../../src/core/graph/document.js';
import type { BatchData } from '../../../src/engine/data/makeBatch.js';
import { CompiledModel } from '../../../src/engine/model/CompiledModel.js';
import { selectBackend } from '../../../src/engine/selectBackend.js';
import { SingleThreadTrainer } from '../../../src/engine/train/BatchTrainer.js';
import { DeferredReadTrainer } from '../../../src/engine/train/DeferredReadTrainer.js';
import { outputKind } from '../../../src/engine/train/loss.js';
import { createOptimizer } from '../../../src/engine/train/StepOptimizer.js';
import type { StepResult, StepSetup } from '../../../src/engine/train/trainStep.js';
import { TorchOptimizer } from '../../../src/engine/train/TorchOptimizer.js';
import { GpuAdamOptimizer } from '../../../src/engine/webgpu/GpuAdamOptimizer.js';
import { probe } from './adapter.js';
import { takeGpuErrors, throwIfGpuFailed } from '../../../src/engine/webgpu/gpuErrors.js';
import { seeded } from '../wasm/backendCompare.js';

const lenet = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../templates/lenet-5.nnb.json'), 'utf8'),
) as GraphDocument;
const BATCH = 16;
const STEPS = 5;
const batches: BatchData[] = Array.from({ length: STEPS }, (_, i) => ({
  x: seeded(BATCH * 784, 70 + i).map((v) => Math.max(0, v)),
  labels: Int32Array.from({ length: BATCH }, (_, k) => (k * 3 + i) % 10),
  size: BATCH,
}));

function setup(graph: GraphDocument, optimizer: Optimizer, backend: 'webgpu' | 'cpu'): StepSetup {
  const model = CompiledModel.compile(graph, 5);
  const variables = model.trainableVariables();
  return {
    model,
    variables,
    optimizer: createOptimizer(optimizer, variables, backend),
    loss: 'cross-entropy',
    kind: outputKind(model.outputType),
    nextSeed: () => 0,
  };
}

interface Trace {
  readonly results: StepResult[];
  readonly weights: Float32Array[];
}

async function weightsOf(s: StepSetup): Promise<Float32Array[]> {
  return Promise.all(s.model.weights.map(async (w) => (await w.variable.data()) as Float32Array));
}

async function onWebGpu(optimizer: Optimizer, readEvery: number): Promise<Trace> {
  await selectBackend('webgpu');
  const s = setup(lenet, optimizer, 'webgpu');
  const trainer = new DeferredReadTrainer(s, readEvery);
  const results: StepResult[] = [];
  for (const [i, b] of batches.entries())
    results.push(...(await trainer.enqueue(b, 0.01, i % 2 === 0)));
  results.push(...(await trainer.flush()));
  const weights = await weightsOf(s);
  await trainer.dispose();
  s.optimizer.dispose();
  s.model.dispose();
  return { results, weights };
}

async function onCpu(optimizer: Optimizer): Promise<Trace> {
  await selectBackend('cpu');
  const s = setup(lenet, optimizer, 'cpu');
  const trainer = new SingleThreadTrainer(s);
  const results: StepResult[] = [];
  for (const [i, b] of batches.entries()) results.push(await trainer.step(b, 0.01, i % 2 === 0));
  const weights = await weightsOf(s);
  s.optimizer.dispose();
  s.model.dispose();
  return { results, weights };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe.skipIf(!probe.ok)('the webgpu backend', () => {
  beforeAll(() => takeGpuErrors());

  it('selects the adapter and says which it is', async () => {
    const selection = await selectBackend('webgpu');
    expect(selection.backend).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(selection.device).toContain(probe.ok ? probe.adapter.description : '');
  });

  it.each(['adam', 'sgd'] as const)(
    'trains LeNet-5 with %s exactly as the cpu backend, reading back every 3 steps',
    async (name) => {
      const optimizer = { ...defaultOptimizer(name), lr: 0.01 };
      const gpu = await onWebGpu(optimizer, 3);
      const cpu = await onCpu(optimizer);
      expect(gpu.results).toHaveLength(STEPS);
      gpu.results.forEach((r, i) => {
        const c = cpu.results[i]!;
        expect(Math.abs(r.loss - c.loss)).toBeLessThan(1e-5);
        expect(r.correct).toBe(c.correct);
        expect(r.gradientNorms === undefined).toBe(c.gradientNorms === undefined);
        for (const [node, norm] of Object.entries(c.gradientNorms ?? {})) {
          expect(Math.abs(r.gradientNorms![node]! - norm)).toBeLessThan(1e-4 * Math.max(1, norm));
        }
      });
      // Adam divides by √v: where a gradient is tiny, float32 rounding of either backend moves a
      // weight by up to ~lr·1e-3 (measured 3.4e-5 at lr 0.01); SGD stays within rounding.
      const tolerance = name === 'adam' ? 1e-4 : 1e-5;
      gpu.weights.forEach((w, i) => expect(maxDiff(w, cpu.weights[i]!)).toBeLessThan(tolerance));
      expect(takeGpuErrors()).toEqual([]);
    },
    120_000,
  );

  it.each([
    { ...defaultOptimizer('adam'), lr: 0.003 },
    { ...defaultOptimizer('adam'), lr: 0.003, weightDecay: 0.01 },
    { ...defaultOptimizer('adamw'), lr: 0.003, weightDecay: 0.05 },
  ])(
    'runs $name (weight decay $weightDecay) in one kernel as the tfjs ops compute it',
    async (config) => {
      await selectBackend('webgpu');
      if (config.name !== 'adam' && config.name !== 'adamw') return;
      const shapes = [[3, 3, 2, 4], [7], [300, 130]];
      const make = () =>
        shapes.map((s, i) =>
          tf.variable(
            tf.tensor(
              seeded(
                s.reduce((a, b) => a * b, 1),
                10 + i,
              ),
              s,
            ),
          ),
        );
      const fused = make();
      const ops = make();
      const a = new GpuAdamOptimizer(config, fused);
      const b = new TorchOptimizer(config, ops);
      for (let step = 0; step < 4; step++) {
        const grads = shapes.map((s, i) =>
          tf.tensor(
            seeded(
              s.reduce((x, y) => x * y, 1),
              100 * step + i,
            ),
            s,
          ),
        );
        a.step(grads, config.lr);
        b.step(grads, config.lr);
        tf.dispose(grads);
      }
      for (const [i, v] of fused.entries()) {
        const diff = maxDiff(
          (await v.data()) as Float32Array,
          (await ops[i]!.data()) as Float32Array,
        );
        expect(diff).toBeLessThan(1e-6);
      }
      // The state a checkpoint saves, under TorchOptimizer's keys.
      const sa = a.state();
      const sb = b.state();
      expect([...sa.keys()].sort()).toEqual([...sb.keys()].sort());
      for (const [key, t] of sa) {
        expect(
          maxDiff((await t.data()) as Float32Array, (await sb.get(key)!.data()) as Float32Array),
        ).toBeLessThan(1e-6);
      }
      tf.dispose([...sa.values(), ...sb.values(), ...fused, ...ops]);
      a.dispose();
      b.dispose();
      expect(takeGpuErrors()).toEqual([]);
    },
    60_000,
  );

  it('reports the same numbers whether it reads back every step or every 4', async () => {
    const optimizer = defaultOptimizer('adam');
    const every = await onWebGpu(optimizer, 1);
    const grouped = await onWebGpu(optimizer, 4);
    expect(grouped.results).toEqual(every.results);
  }, 120_000);

  it('turns a kernel the GPU rejected into an error instead of a result', async () => {
    await selectBackend('webgpu');
    if (!probe.ok) return;
    // One float more than a storage binding may hold: Dawn rejects the kernel that binds it.
    const elements = Math.floor(probe.adapter.maxStorageBufferBindingSize / 4) + 1024;
    const big = tf.fill([elements], 1);
    const doubled = tf.mul(big, 2);
    const sum = tf.sum(doubled);
    await sum.data();
    tf.dispose([big, doubled, sum]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(() => throwIfGpuFailed('a test')).toThrow(/GPU reported an error during a test/);
    expect(takeGpuErrors()).toEqual([]);
  }, 120_000);
});
