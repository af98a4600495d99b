// Data-parallel training of a BatchNorm graph against PyTorch's DistributedDataParallel on two
// processes without SyncBatchNorm (torch_ddp_batchnorm.py): each half of the batch normalizes with
// its own statistics, the gradients are averaged, the running statistics are rank 0's (the first
// half's). The one-process emulation of DDP is checked against real torchrun/gloo DDP here too.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultOptimizer, type Optimizer } from '../../src/api/training.js';
import { CompiledModel } from '../../src/engine/model/CompiledModel.js';
import { exportTorchWeights } from '../../src/engine/model/torchWeights.js';
import { selectBackend } from '../../src/engine/selectBackend.js';
import { trainingThreads } from '../../src/engine/train/BatchTrainer.js';
import { DataParallelTrainer } from '../../src/engine/train/DataParallelTrainer.js';
import { outputKind } from '../../src/engine/train/loss.js';
import { createOptimizer } from '../../src/engine/train/StepOptimizer.js';
import type { StepSetup } from '../../src/engine/train/trainStep.js';
import { Random } from '../../src/engine/random.js';
import {
  chainGraph,
  maxError,
  randomInput,
  randomizeWeights,
  weightsJson,
} from './modelHelpers.js';
import { runPythonCases, torchUnavailable } from './torchReference.js';
import { ofType, smallConfig, tempDir, train } from './trainHelpers.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, 'torch_ddp_batchnorm.py');
const TORCHRUN = join(import.meta.dirname, '..', 'export', 'torchrun_compat.py');

// BatchNorm2d after each conv and BatchNorm1d after the hidden Linear (both of ours' code paths).
const graph = chainGraph(
  [3, 8, 8],
  ['Conv2d', { out_channels: 4, kernel_size: 3, padding: 1, bias: false }],
  ['BatchNorm2d'],
  ['ReLU'],
  ['Conv2d', { out_channels: 6, kernel_size: 3, stride: 2, bias: false }],
  ['BatchNorm2d', { momentum: 0.3 }],
  ['ReLU'],
  ['Flatten'],
  ['Linear', { out_features: 12, bias: false }],
  ['BatchNorm1d'],
  ['ReLU'],
  ['Linear', { out_features: 5 }],
);
const BATCH = 12;
const STEPS = 3;
const SEED = 7;

interface Reference {
  losses: number[];
  grads: Record<string, number[]>;
  weights: Record<string, number[]>;
  buffers: Record<string, number[]>;
  rank1_buffers: Record<string, number[]>;
}

interface Batch {
  torch: { shape: number[]; data: number[] };
  x: Float32Array;
  labels: Int32Array;
}
let batches: Batch[] = [];

function setup(optimizer: Optimizer): StepSetup {
  const model = CompiledModel.compile(graph, SEED);
  randomizeWeights(model, SEED); // BatchNorm's γ, β and running statistics away from 1s and 0s
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

function caseFor(model: CompiledModel, optimizer: Optimizer, mode: string) {
  return {
    graph,
    weights: weightsJson(model),
    optimizer,
    mode,
    batches: batches.map((b) => ({ input: b.torch, labels: Array.from(b.labels) })),
  };
}

/** Largest maxError over the keys of `expected` (every key must be in `got`). */
function worst(got: Map<string, ArrayLike<number>>, expected: Record<string, number[]>): number {
  let w = 0;
  for (const [key, want] of Object.entries(expected)) {
    const have = got.get(key);
    expect(have, key).toBeDefined();
    w = Math.max(w, maxError(have!, want));
  }
  return w;
}

const skip = torchUnavailable();

beforeAll(async () => {
  await selectBackend('wasm');
  batches = Array.from({ length: STEPS }, (_, i) => {
    const input = randomInput([3, 8, 8], BATCH, 100 + i);
    const random = new Random(200 + i);
    const labels = Int32Array.from({ length: BATCH }, () => Math.floor(random.next() * 5));
    const x = input.ours.dataSync() as Float32Array;
    input.ours.dispose();
    return { torch: input.torch, x, labels };
  });
}, 60_000);

describe.skipIf(skip !== null)(
  'data-parallel BatchNorm = PyTorch DDP without SyncBatchNorm',
  () => {
    const dirs: string[] = [];
    afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

    it('is what trainingThreads picks for a BatchNorm graph on wasm with two cores', () => {
      const model = CompiledModel.compile(graph, 0);
      expect(trainingThreads('wasm', model, {}, 2)).toBe(2);
      expect(trainingThreads('wasm', model, { NNB_THREADS: '1' }, 2)).toBe(1);
      model.dispose();
    });

    describe.each([
      ['SGD with momentum', { ...defaultOptimizer('sgd'), lr: 0.1, momentum: 0.9 }],
      ['Adam', { ...defaultOptimizer('adam'), lr: 0.01 }],
    ] as const)('%s', (_name, optimizer) => {
      it(`takes DDP's ${STEPS} steps: losses, gradients, weights, running statistics`, async () => {
        const s = setup(optimizer);
        // One python process for both references.
        const [ddp, full] = runPythonCases<Reference>(
          SCRIPT,
          (['emulated', 'full-batch'] as const).map((mode) => caseFor(s.model, optimizer, mode)),
        ) as [Reference, Reference];
        const trainer = await DataParallelTrainer.start(s, graph, SEED);
        const before = exportTorchWeights(s.model);
        const losses: number[] = [];
        let afterFirst = before;
        let firstNorms: Record<string, number> = {};
        for (const [i, b] of batches.entries()) {
          const r = await trainer.step(
            { x: b.x, labels: b.labels, size: BATCH },
            optimizer.lr,
            i === 0,
          );
          losses.push(r.loss);
          if (i === 0) {
            afterFirst = exportTorchWeights(s.model);
            firstNorms = r.gradientNorms ?? {};
          }
        }
        await trainer.dispose();
        const after = exportTorchWeights(s.model);

        // Losses: the mean of the two halves' losses, each over its own normalization.
        losses.forEach((l, i) =>
          expect(Math.abs(l - ddp.losses[i]!), `step ${i}`).toBeLessThan(1e-5),
        );
        // First step's gradient: per node its L2 norm (the step's gradientNorms), and with SGD
        // every value, from the first update (−lr·g: the momentum buffer starts at g).
        const norms = new Map<string, number>();
        for (const [key, g] of Object.entries(ddp.grads)) {
          const node = key.split('.')[0]!;
          norms.set(node, (norms.get(node) ?? 0) + g.reduce((a, v) => a + v * v, 0));
        }
        expect(Object.keys(firstNorms).sort()).toEqual([...norms.keys()].sort());
        for (const [node, sq] of norms)
          expect(Math.abs(firstNorms[node]! - Math.sqrt(sq)) / Math.sqrt(sq), node).toBeLessThan(
            1e-4,
          );
        if (optimizer.name === 'sgd') {
          const firstGrads = new Map<string, Float32Array>();
          for (const key of Object.keys(ddp.grads)) {
            const w0 = before.get(key)!.data;
            const w1 = afterFirst.get(key)!.data;
            firstGrads.set(
              key,
              Float32Array.from(w0, (v, j) => (v - w1[j]!) / optimizer.lr),
            );
          }
          expect(worst(firstGrads, ddp.grads)).toBeLessThan(1e-4);
        }
        const data = new Map([...after].map(([k, t]) => [k, t.data]));
        // Weights after every step, and rank 0's running statistics and num_batches_tracked.
        expect(worst(data, ddp.weights)).toBeLessThan(1e-4);
        expect(worst(data, ddp.buffers)).toBeLessThan(1e-4);
        expect(ddp.buffers['l1.num_batches_tracked']).toEqual([STEPS]);
        // The comparison tells the modes apart: one thread on the whole batch, or rank 1's
        // statistics, would be far off.
        expect(worst(data, full.weights)).toBeGreaterThan(1e-3);
        expect(worst(data, ddp.rank1_buffers)).toBeGreaterThan(1e-3);
        s.optimizer.dispose();
        s.model.dispose();
      }, 60_000);
    });

    it("the one-process emulation is real DDP's (torchrun, 2 processes, gloo)", async () => {
      const s = setup(defaultOptimizer('adam'));
      const dir = tempDir('nnb-ddp-');
      dirs.push(dir);
      const adam = { ...defaultOptimizer('adam'), lr: 0.01 };
      const emulated = runPythonCases<Reference>(SCRIPT, [caseFor(s.model, adam, 'emulated')])[0]!;
      const caseFile = join(dir, 'case.json');
      const outFile = join(dir, 'out.json');
      writeFileSync(caseFile, JSON.stringify(caseFor(s.model, adam, 'ddp')));
      s.optimizer.dispose();
      s.model.dispose();
      // A free port of its own (--standalone's fixed 29400 would meet another test's torchrun).
      const port = await freePort();
      const r = spawnSync(
        PYTHON,
        [TORCHRUN, '--nnodes=1', '--nproc_per_node=2', `--master_port=${port}`, SCRIPT],
        {
          cwd: dir,
          encoding: 'utf8',
          env: {
            ...process.env,
            OMP_NUM_THREADS: '1',
            NNB_DDP_CASE: caseFile,
            NNB_DDP_OUT: outFile,
          },
          timeout: 120_000,
        },
      );
      expect(r.status, r.stderr).toBe(0);
      const real = JSON.parse(readFileSync(outFile, 'utf8')) as Reference;
      // Same arithmetic in the same order: equal to the bit, rank 1's statistics included.
      expect(real.losses).toEqual(emulated.losses);
      for (const part of ['grads', 'weights', 'buffers', 'rank1_buffers'] as const)
        expect(real[part], part).toEqual(emulated[part]);
    }, 120_000);
  },
);

// runTraining (`nnb train`'s loop) on a BatchNorm graph: two threads are really used (the run
// differs from NNB_THREADS=1), a seed still gives one run, no tensor leaks across epochs.
describe('runTraining with BatchNorm on two threads', () => {
  const digitsGraph = chainGraph(
    [1, 28, 28],
    ['Conv2d', { out_channels: 4, kernel_size: 5, bias: false }],
    ['BatchNorm2d'],
    ['ReLU'],
    ['MaxPool2d', { kernel_size: 4 }],
    ['Flatten'],
    ['Linear', { out_features: 10 }],
  );
  const config = () =>
    smallConfig({
      backend: 'wasm',
      epochs: 2,
      batchSize: 32,
      maxTrainSamples: 128,
      maxValidationSamples: 64,
    });
  afterEach(() => {
    delete process.env.NNB_THREADS;
  });

  it('trains data-parallel: its own numbers, repeatable, no leaks', async () => {
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    const two = await train(digitsGraph, config(), (e) => {
      if (e.type === 'epoch') counts.push(tf.memory().numTensors);
    });
    expect(two.at(-1)).toMatchObject({ type: 'finished', reason: 'completed' });
    expect(ofType(two, 'warning')).toEqual([]);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    const again = await train(digitsGraph, config());
    const losses = (events: typeof two) => ofType(events, 'batch').map((b) => b.loss);
    expect(losses(again)).toEqual(losses(two));
    process.env.NNB_THREADS = '1';
    const one = await train(digitsGraph, config());
    // The first batch's loss already differs: each half normalized with its own statistics.
    expect(Math.abs(losses(one)[0]! - losses(two)[0]!)).toBeGreaterThan(1e-6);
  }, 120_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
