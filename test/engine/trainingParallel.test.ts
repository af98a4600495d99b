import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrainConfigInput } from '../../src/api/training.js';
import { CompiledModel } from '../../src/engine/model/CompiledModel.js';
import { trainingThreads } from '../../src/engine/train/BatchTrainer.js';
import { chainGraph } from './modelHelpers.js';
import { ofType, smallConfig, template, train } from './trainHelpers.js';

// `nnb train`'s fast paths through the real loop: FlatAdam for Adam, and data-parallel on two
// worker threads for a graph without BatchNorm on the WASM backend.
const lenet = template('lenet-5');
const wasmConfig = (overrides: TrainConfigInput = {}) =>
  smallConfig({
    backend: 'wasm',
    epochs: 2,
    batchSize: 64,
    maxTrainSamples: 256,
    maxValidationSamples: 100,
    ...overrides,
  });

async function batchEvents(threads: '1' | undefined, overrides: TrainConfigInput = {}) {
  if (threads === undefined) delete process.env.NNB_THREADS;
  else process.env.NNB_THREADS = threads;
  return train(lenet, wasmConfig(overrides));
}

afterEach(() => {
  delete process.env.NNB_THREADS;
});

describe('runTraining, data-parallel', () => {
  it('is chosen for LeNet-5 on wasm here', () => {
    const model = CompiledModel.compile(lenet, 0);
    expect(trainingThreads('wasm', model, {}, 2)).toBe(2);
    model.dispose();
  });

  it('gives the single-thread run: losses, accuracies, gradient norms, validation', async () => {
    const one = await batchEvents('1');
    const two = await batchEvents(undefined);
    const b1 = ofType(one, 'batch');
    const b2 = ofType(two, 'batch');
    expect(b2).toHaveLength(b1.length);
    b1.forEach((e, i) => {
      const f = b2[i]!;
      expect(Math.abs(f.loss - e.loss), `batch ${i}`).toBeLessThan(1e-3);
      expect(Math.abs(f.accuracy - e.accuracy)).toBeLessThanOrEqual(1 / 64);
      expect(f.gradientNorms === undefined).toBe(e.gradientNorms === undefined);
      for (const [node, norm] of Object.entries(e.gradientNorms ?? {}))
        expect(Math.abs(f.gradientNorms![node]! - norm) / norm, node).toBeLessThan(1e-2);
    });
    const e1 = ofType(one, 'epoch').at(-1)!;
    const e2 = ofType(two, 'epoch').at(-1)!;
    expect(Object.keys(e2.gradientNorms).sort()).toEqual(Object.keys(e1.gradientNorms).sort());
    expect(Math.abs(e2.valLoss - e1.valLoss)).toBeLessThan(1e-3);
    expect(two.at(-1)).toMatchObject({ type: 'finished', reason: 'completed' });
    expect(two.filter((e) => e.type === 'warning')).toEqual([]);
  }, 120_000);

  it('the same seed gives the same run, dropout included', async () => {
    const withDropout = chainGraph(
      [1, 28, 28],
      ['Conv2d', { out_channels: 4, kernel_size: 5 }],
      ['ReLU'],
      ['MaxPool2d', { kernel_size: 2 }],
      ['Flatten'],
      ['Dropout', { p: 0.5 }],
      ['Linear', { out_features: 10 }],
    );
    const losses = async () =>
      ofType(await train(withDropout, wasmConfig({ epochs: 1 })), 'batch').map((b) => b.loss);
    expect(await losses()).toEqual(await losses());
  }, 120_000);

  it('leaks no tensors and saves FlatAdam state a resumed run continues from', async () => {
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    const first = await train(lenet, wasmConfig({ epochs: 2 }), (e) => {
      if (e.type === 'epoch') counts.push(tf.memory().numTensors);
    });
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    const runDir = ofType(first, 'started')[0]!.runDir;
    const json = JSON.parse(readFileSync(join(runDir, 'last', 'model.json'), 'utf8')) as {
      optimizer: { steps: number; weights: { name: string; shape: number[] }[] };
    };
    // 4 batches per epoch, 2 epochs; exp_avg and exp_avg_sq for LeNet's 10 tensors.
    expect(json.optimizer.steps).toBe(8);
    expect(json.optimizer.weights.map((w) => w.name).sort()).toEqual(
      [...Array(10).keys()].flatMap((i) => [`${i}/m`, `${i}/v`]).sort(),
    );
    const resumed = await train(lenet, wasmConfig({ epochs: 1, resumeFrom: runDir }));
    expect(resumed.at(-1)).toMatchObject({ type: 'finished', epochsCompleted: 1 });
    const json2 = JSON.parse(readFileSync(join(runDir, 'last', 'model.json'), 'utf8')) as {
      optimizer: { steps: number };
    };
    expect(json2.optimizer.steps).toBe(12);
  }, 180_000);
});
