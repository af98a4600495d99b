import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrainEventSchema } from '../../src/api/training.js';
import { Predictor } from '../../src/engine/predict/Predictor.js';
import { VALIDATION_PREDICTIONS } from '../../src/engine/train/runTraining.js';
import { chainGraph } from './modelHelpers.js';
import { ofType, smallConfig, template, train } from './trainHelpers.js';

// In-process runs of the real loop on the CPU backend; the MLP keeps each run to about a second.
const mlp = template('mlp-digits');

describe('training loop', () => {
  it('streams valid events, evaluates, writes the run folder and predicts from it', async () => {
    const config = smallConfig();
    const events = await train(mlp, config);
    for (const e of events)
      expect(TrainEventSchema.safeParse(e).success, JSON.stringify(e)).toBe(true);
    const started = ofType(events, 'started')[0]!;
    expect(started).toMatchObject({ backend: 'cpu', batchesPerEpoch: 6, trainableParams: 23860 });
    expect(started.dataset).toMatchObject({
      name: 'digits',
      trainSize: 192,
      validationSize: 100,
      inputShape: [1, 28, 28],
    });
    expect(ofType(events, 'batch')).toHaveLength(12);
    const evaluation = ofType(events, 'evaluation')[1]!;
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(100);
    expect(evaluation.perClass.reduce((a, c) => a + c.support, 0)).toBe(100);
    const epoch = ofType(events, 'epoch')[1]!;
    expect(epoch.valAccuracy).toBe(evaluation.accuracy);
    expect(Object.keys(epoch.gradientNorms).sort()).toEqual(['fc1', 'fc2']);
    // Gradient-flow samples: the first batch of each epoch and its last (6 batches per epoch).
    const sampled = ofType(events, 'batch').filter((e) => e.gradientNorms !== undefined);
    expect(sampled.map((e) => e.batch)).toEqual([1, 6, 1, 6]);
    for (const e of sampled) {
      expect(Object.keys(e.gradientNorms!).sort()).toEqual(['fc1', 'fc2']);
      for (const norm of Object.values(e.gradientNorms!)) expect(norm).toBeGreaterThan(0);
    }
    const finished = events.at(-1)!;
    expect(finished).toMatchObject({ type: 'finished', reason: 'completed', epochsCompleted: 2 });
    const runDir = started.runDir;
    for (const file of [
      'graph.nnb.json',
      'config.json',
      'metrics.jsonl',
      'last/model.json',
      'last/weights.bin',
      'best/model.json',
      'initial/model.json',
      VALIDATION_PREDICTIONS,
    ]) {
      expect(existsSync(join(runDir, file)), file).toBe(true);
    }
    // One predicted class per validation sample, agreeing with the last confusion matrix.
    const bytes = readFileSync(join(runDir, VALIDATION_PREDICTIONS));
    const predicted = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    expect(predicted).toHaveLength(100);
    const perPredicted = evaluation.confusion.reduce(
      (sums, row) => sums.map((v, j) => v + row[j]!),
      new Array<number>(10).fill(0),
    );
    for (let j = 0; j < 10; j++)
      expect(predicted.filter((p) => p === j).length).toBe(perPredicted[j]);
    // The initial weights differ from the trained ones.
    expect(readFileSync(join(runDir, 'initial/weights.bin'))).not.toEqual(
      readFileSync(join(runDir, 'last/weights.bin')),
    );
    const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual([
      'started',
      'epoch',
      'evaluation',
      'epoch',
      'evaluation',
      'finished',
    ]);
    const predictor = Predictor.load(runDir);
    const prediction = predictor.predict({
      width: 20,
      height: 20,
      channels: 3,
      data: new Uint8Array(1200).fill(40),
    });
    expect(prediction.classes).toHaveLength(10);
    expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    predictor.dispose();
  });

  it('learns: the MLP beats chance clearly on held-out digits', async () => {
    const events = await train(
      mlp,
      smallConfig({
        epochs: 3,
        maxTrainSamples: 600,
        maxValidationSamples: 300,
        optimizer: { name: 'adam', lr: 0.01 },
      }),
    );
    expect(ofType(events, 'epoch').at(-1)!.valAccuracy).toBeGreaterThan(0.6);
  });

  it('trains LeNet-5 on the WASM backend with the project kernels', async () => {
    const events = await train(
      template('lenet-5'),
      smallConfig({
        backend: 'wasm',
        epochs: 2,
        maxTrainSamples: 512,
        batchSize: 64,
        maxValidationSamples: 200,
      }),
    );
    expect(ofType(events, 'started')[0]?.backend).toBe('wasm');
    const epochs = ofType(events, 'epoch');
    expect(epochs).toHaveLength(2);
    expect(epochs[1]!.trainLoss).toBeLessThan(epochs[0]!.trainLoss);
  });

  it('the same seed gives the same run; another seed another', async () => {
    const losses = async (seed: number) =>
      ofType(await train(mlp, smallConfig({ seed, epochs: 1 })), 'batch').map((b) => b.loss);
    const a = await losses(7);
    expect(await losses(7)).toEqual(a);
    expect(await losses(8)).not.toEqual(a);
  });

  it('leaks no tensors: the count is the same after every epoch', async () => {
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    // Conv, BatchNorm (running statistics), Dropout (random masks), ceil-mode pooling, augmentation.
    const graph = chainGraph(
      [1, 28, 28],
      ['Conv2d', { out_channels: 4, kernel_size: 3, stride: 2 }],
      ['BatchNorm2d'],
      ['ReLU'],
      ['Dropout', { p: 0.2 }],
      ['MaxPool2d', { kernel_size: 2, ceil_mode: true }],
      ['Flatten'],
      ['Linear', { out_features: 10 }],
    );
    await train(
      graph,
      smallConfig({
        epochs: 3,
        maxTrainSamples: 64,
        maxValidationSamples: 16,
        batchSize: 16,
        augmentation: { shift: 2 },
      }),
      (e) => {
        if (e.type === 'epoch') counts.push(tf.memory().numTensors);
      },
    );
    expect(counts).toHaveLength(3);
    expect(new Set(counts).size).toBe(1);
    // And a finished run leaves nothing behind (model, optimizer state, constants).
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops on a NaN/Inf loss and suggests a lower learning rate', async () => {
    const events = await train(mlp, smallConfig({ optimizer: { name: 'sgd', lr: 1e38 } }));
    const error = events.at(-1)!;
    expect(error).toMatchObject({ type: 'error', code: 'nan-loss' });
    expect(error.type === 'error' && error.message).toMatch(/lower learning rate/);
  });

  it('stops early when validation loss does not improve', async () => {
    const events = await train(
      mlp,
      smallConfig({ epochs: 5, earlyStopping: { patience: 1, minDelta: 1e9 } }),
    );
    expect(events.at(-1)).toMatchObject({
      type: 'finished',
      reason: 'early-stopped',
      epochsCompleted: 2,
    });
  });

  it('pauses, resumes and stops between batches', async () => {
    let paused = false;
    const events = await train(mlp, smallConfig({ epochs: 3 }), (e, control) => {
      if (e.type === 'batch' && e.batch === 2 && !paused) {
        paused = true;
        control.pause();
        setTimeout(() => control.resume(), 50);
      }
      if (e.type === 'resumed') control.stop();
    });
    const types = events.map((e) => e.type);
    expect(types.indexOf('paused')).toBeLessThan(types.indexOf('resumed'));
    expect(events.at(-1)).toMatchObject({
      type: 'finished',
      reason: 'stopped',
      epochsCompleted: 0,
    });
  });

  it('resumes a run from its folder, continuing the epoch count', async () => {
    const first = await train(mlp, smallConfig({ epochs: 1 }));
    const runDir = ofType(first, 'started')[0]!.runDir;
    const second = await train(mlp, smallConfig({ epochs: 1, resumeFrom: runDir }));
    expect(ofType(second, 'started')[0]).toMatchObject({ firstEpoch: 2, epochs: 2, runDir });
    expect(ofType(second, 'epoch').map((e) => e.epoch)).toEqual([2]);
  });

  it('refuses a graph whose output does not match the classes, naming the fix', async () => {
    const graph = {
      ...mlp,
      nodes: mlp.nodes.map((n) => (n.id === 'fc2' ? { ...n, params: { out_features: 5 } } : n)),
    };
    const events = await train(graph, smallConfig());
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', code: 'invalid-graph' });
    expect(events[0]!.type === 'error' && events[0]!.message).toMatch(
      /10 classes.*out_features=10/,
    );
  });

  it('refuses a graph with errors with the analysis message', async () => {
    const graph = {
      ...mlp,
      nodes: mlp.nodes.map((n) => (n.id === 'fc1' ? { ...n, params: { out_features: -1 } } : n)),
    };
    const events = await train(graph, smallConfig());
    expect(events[0]).toMatchObject({ type: 'error', code: 'invalid-graph' });
    expect(events[0]!.type === 'error' && events[0]!.message).toMatch(/fc1/);
  });

  // The set-up reads the data while the backend is chosen (setupRun.ts); what it reports first
  // stays fixed: a graph's errors before any backend loads, a backend that cannot load before the
  // data. (`tensorflow` needs @tensorflow/tfjs-node, which the README's set-up does not install.)
  it('reports a graph with errors before a backend that cannot load', async () => {
    const graph = {
      ...mlp,
      nodes: mlp.nodes.map((n) => (n.id === 'fc1' ? { ...n, params: { out_features: -1 } } : n)),
    };
    const events = await train(graph, smallConfig({ backend: 'tensorflow' }));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', code: 'invalid-graph' });
  });

  it('reports a backend that cannot load before data that does not fit', async () => {
    const graph = {
      ...mlp,
      nodes: mlp.nodes.map((n) => (n.id === 'input' ? { ...n, params: { shape: [1024] } } : n)),
    };
    const events = await train(graph, smallConfig({ backend: 'tensorflow' }));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', code: 'backend' });
    expect(events[0]!.type === 'error' && events[0]!.message).toMatch(/tensorflow backend/);
  });

  it('refuses data that does not fit the Input, saying what to set', async () => {
    const graph = {
      ...mlp,
      nodes: mlp.nodes.map((n) => (n.id === 'input' ? { ...n, params: { shape: [1024] } } : n)),
    };
    const events = await train(graph, smallConfig());
    expect(events[0]).toMatchObject({ type: 'error', code: 'dataset' });
    expect(events[0]!.type === 'error' && events[0]!.message).toMatch(
      /1×28×28.*Input is 1024.*\[1, 28, 28\].*\[784\]/,
    );
  });
});
