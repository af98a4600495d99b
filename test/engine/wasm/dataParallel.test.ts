// DataParallelTrainer: part of each batch in a worker thread, the rest here; every step must be
// the single-thread step on the whole batch (loss, accuracy, gradient norms, weights).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultOptimizer, type Optimizer } from '../../../src/api/training.js';
import type { GraphDocument } from '../../../src/core/graph/document.js';
import { CompiledModel } from '../../../src/engine/model/CompiledModel.js';
import { selectBackend } from '../../../src/engine/selectBackend.js';
import {
  createBatchTrainer,
  SingleThreadTrainer,
  trainingThreads,
} from '../../../src/engine/train/BatchTrainer.js';
import { DataParallelTrainer } from '../../../src/engine/train/DataParallelTrainer.js';
import { outputKind } from '../../../src/engine/train/loss.js';
import { createOptimizer } from '../../../src/engine/train/StepOptimizer.js';
import type { StepSetup } from '../../../src/engine/train/trainStep.js';
import { concatData } from '../../../src/engine/wasm/GradientReplica.js';
import {
  prestartGradientWorker,
  prestartedWorkerWaiting,
  RemoteReplica,
} from '../../../src/engine/wasm/RemoteReplica.js';
import { chainGraph } from '../modelHelpers.js';
import { seeded } from './backendCompare.js';

const graph = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../templates/lenet-5.nnb.json'), 'utf8'),
) as GraphDocument;
const BATCH = 24;
const batches = [0, 1, 2].map((i) => ({
  x: seeded(BATCH * 784, 40 + i).map((v) => Math.max(0, v)),
  labels: Int32Array.from({ length: BATCH }, (_, k) => (k * 7 + i) % 10),
  size: BATCH,
}));

function setup(optimizer: Optimizer): StepSetup {
  const model = CompiledModel.compile(graph, 3);
  const variables = model.trainableVariables();
  return {
    model,
    variables,
    optimizer: createOptimizer(optimizer, variables),
    loss: 'cross-entropy',
    kind: outputKind(model.outputType),
    nextSeed: () => 0,
  };
}

beforeAll(async () => {
  await selectBackend('wasm');
}, 60_000);

// Plain SGD shows "same gradient" as "same weights"; Adam is what `nnb train` runs by default.
describe.each([
  ['SGD', { ...defaultOptimizer('sgd'), lr: 0.1 }, 1e-5],
  ['Adam', { ...defaultOptimizer('adam'), lr: 0.001 }, 1e-4],
] as const)('DataParallelTrainer with %s', (_name, optimizer, tolerance) => {
  it('takes the same steps as one thread on the whole batch', async () => {
    const a = setup(optimizer);
    const b = setup(optimizer);
    const single = new SingleThreadTrainer(a);
    const parallel = await DataParallelTrainer.start(b, graph, 3);
    const start = concatData(a.variables);
    for (const batch of batches) {
      const one = await single.step(batch, optimizer.lr, true);
      const two = await parallel.step(batch, optimizer.lr, true);
      expect(Math.abs(one.loss - two.loss)).toBeLessThan(1e-5);
      expect(two.correct).toBe(one.correct);
      expect(Object.keys(two.gradientNorms!).sort()).toEqual(
        Object.keys(one.gradientNorms!).sort(),
      );
      for (const [node, norm] of Object.entries(one.gradientNorms!))
        expect(Math.abs(two.gradientNorms![node]! - norm) / norm, node).toBeLessThan(1e-4);
    }
    const expected = concatData(a.variables);
    const got = concatData(b.variables);
    let maxDiff = 0;
    let moved = 0;
    for (let i = 0; i < expected.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(got[i]! - expected[i]!));
      moved = Math.max(moved, Math.abs(expected[i]! - start[i]!));
    }
    expect(maxDiff).toBeLessThan(tolerance);
    expect(moved).toBeGreaterThan(1e-3);
    // A batch of one sample leaves nothing for the worker.
    const tiny = {
      x: batches[0]!.x.subarray(0, 784),
      labels: batches[0]!.labels.subarray(0, 1),
      size: 1,
    };
    expect(Number.isFinite((await parallel.step(tiny, optimizer.lr, false)).loss)).toBe(true);
    await parallel.dispose();
    for (const s of [a, b]) {
      s.optimizer.dispose();
      s.model.dispose();
    }
  }, 60_000);
});

describe('trainingThreads', () => {
  const compile = (g: GraphDocument): CompiledModel => CompiledModel.compile(g, 0);
  const bnGraph = chainGraph(
    [1, 8, 8],
    ['Conv2d', { out_channels: 2, kernel_size: 3 }],
    ['BatchNorm2d'],
    ['Flatten'],
    ['Linear', { out_features: 10 }],
  );
  it('goes data-parallel on wasm with two cores, BatchNorm or not (DDP semantics for it)', () => {
    const lenet = compile(graph);
    const withBatchNorm = compile(bnGraph);
    expect(trainingThreads('wasm', lenet, {}, 2)).toBe(2);
    expect(trainingThreads('wasm', lenet, { NNB_THREADS: '2' }, 2)).toBe(2);
    expect(trainingThreads('wasm', withBatchNorm, {}, 2)).toBe(2);
    lenet.dispose();
    withBatchNorm.dispose();
  });
  it('stays on one thread with NNB_THREADS=1, one core or another backend', () => {
    const lenet = compile(graph);
    const withBatchNorm = compile(bnGraph);
    expect(trainingThreads('wasm', lenet, { NNB_THREADS: '1' }, 2)).toBe(1);
    expect(trainingThreads('wasm', lenet, {}, 1)).toBe(1);
    expect(trainingThreads('wasm', withBatchNorm, { NNB_THREADS: '1' }, 2)).toBe(1);
    expect(trainingThreads('cpu', lenet, {}, 2)).toBe(1);
    expect(trainingThreads('tensorflow', lenet, {}, 8)).toBe(1);
    lenet.dispose();
    withBatchNorm.dispose();
  });
});

// `nnb train` starts the worker before it loads anything else (src/cli/earlyStart.ts); the run
// then takes it, or ends it when it trains on one thread.
describe('a gradient worker started ahead of need', () => {
  const adam = { ...defaultOptimizer('adam'), lr: 0.001 };

  it('is taken by the next data-parallel trainer, which takes the same steps as one thread', async () => {
    prestartGradientWorker();
    expect(prestartedWorkerWaiting()).toBe(true);
    const a = setup(adam);
    const b = setup(adam);
    const single = new SingleThreadTrainer(a);
    const parallel = await DataParallelTrainer.start(b, graph, 3);
    expect(prestartedWorkerWaiting()).toBe(false);
    for (const batch of batches) {
      const one = await single.step(batch, adam.lr, false);
      const two = await parallel.step(batch, adam.lr, false);
      expect(Math.abs(one.loss - two.loss)).toBeLessThan(1e-5);
    }
    const expected = concatData(a.variables);
    const got = concatData(b.variables);
    expect(got.every((v, i) => Math.abs(v - expected[i]!) < 1e-4)).toBe(true);
    await parallel.dispose();
    for (const s of [a, b]) {
      s.optimizer.dispose();
      s.model.dispose();
    }
  }, 60_000);

  it('is ended unused when the run trains on one thread', async () => {
    const worker = prestartGradientWorker();
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    const s = setup(adam);
    const { trainer } = await createBatchTrainer({
      setup: s,
      backend: 'wasm',
      graph,
      seed: 3,
      threads: 1,
    });
    expect(trainer.threads).toBe(1);
    expect(prestartedWorkerWaiting()).toBe(false);
    await exited;
    await trainer.dispose();
    s.optimizer.dispose();
    s.model.dispose();
  }, 60_000);

  it('says why when the replica cannot be built from what it was sent', async () => {
    prestartGradientWorker();
    await expect(
      RemoteReplica.start({
        graph,
        seed: 3,
        loss: 'cross-entropy',
        weights: [new Float32Array(3)],
      }),
    ).rejects.toThrow(
      /gradient worker failed to start: weight 0 does not match the replica's graph/,
    );
    expect(prestartedWorkerWaiting()).toBe(false);
  }, 60_000);
});
