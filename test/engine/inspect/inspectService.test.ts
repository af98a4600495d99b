import * as tf from '@tensorflow/tfjs';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngineClient } from '../../../src/api/engineClient.js';
import { dispatchEngineRequest } from '../../../src/api/engineDispatch.js';
import type { TrainEvent } from '../../../src/api/training.js';
import { TemplateStore } from '../../../src/server/templateStore.js';
import { webHandlers } from '../../../src/server/webHandlers.js';
import { InspectService } from '../../../src/engine/inspect/InspectService.js';
import { InspectWorkerClient } from '../../../src/engine/inspect/InspectWorkerClient.js';
import { digitsData, runData } from '../../../src/engine/inspect/inspectData.js';
import { Predictor } from '../../../src/engine/predict/Predictor.js';
import { loadCheckpoint } from '../../../src/engine/train/checkpoint.js';
import { VALIDATION_PREDICTIONS } from '../../../src/engine/train/runTraining.js';
import { ofType, smallConfig, template, train } from '../trainHelpers.js';
import { asInput, conv1Reference, floats, maxRelativeError } from './inspectHelpers.js';

const RUN = 'test-run';
let outDir: string;
let events: TrainEvent[];
let service: InspectService;

beforeAll(async () => {
  const config = smallConfig({ epochs: 1, seed: 7 });
  outDir = config.outDir;
  events = await train(template('lenet-5'), config);
  expect(ofType(events, 'finished')).toHaveLength(1);
  service = new InspectService(outDir);
}, 120_000);

const runDir = () => join(outDir, RUN);

async function sample(label: number) {
  const { samples } = await service.samples({ dataset: { kind: 'run', runId: RUN }, count: 10 });
  const found = samples.find((s) => s.label === label);
  if (!found) throw new Error(`no sample of class ${label}`);
  return found;
}

describe('inspect.samples', () => {
  it('gives one validation image per class in class order, as bytes of the data shape', async () => {
    const result = await service.samples({ dataset: { kind: 'run', runId: RUN }, count: 12 });
    expect(result.classNames).toHaveLength(10);
    expect(result.validationSize).toBe(100);
    expect(result.samples.map((s) => s.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    const split = runData(runDir()).validation;
    for (const s of result.samples) {
      expect(split.labels[s.index]).toBe(s.label);
      const bytes = Buffer.from(s.image.pixels, 'base64');
      expect(bytes.length).toBe(28 * 28);
      expect([...bytes]).toEqual([...split.images.subarray(s.index * 784, (s.index + 1) * 784)]);
    }
  });

  it('reads the built-in digits without a run', async () => {
    const result = await service.samples({ dataset: { kind: 'digits' }, count: 3 });
    expect(result.dataset).toBe('digits');
    expect(result.validationSize).toBe(1996);
    expect(result.samples.map((s) => s.className)).toEqual(['0', '1', '2']);
  });

  it('names an unknown run', async () => {
    await expect(
      service.samples({ dataset: { kind: 'run', runId: 'run-nope' }, count: 1 }),
    ).rejects.toThrow(/no run "run-nope"/);
  });
});

describe('inspect.activations', () => {
  it("the output node's values are the logits whose softmax Predictor reports", async () => {
    const s = await sample(3);
    const result = await service.activations({
      source: { kind: 'run', runId: RUN, checkpoint: 'best' },
      node: 'fc3',
      image: asInput(s.image),
    });
    expect(result.activation.shape).toEqual([10]);
    expect(result.weights).toBe('trained');
    expect(result.epoch).toBe(1);
    const logits = floats(result.activation);
    const softmax = tf.tidy(() => tf.softmax(tf.tensor1d(logits)).dataSync());
    const predictor = Predictor.load(runDir());
    const expected = predictor.predict(asInput(s.image)).probabilities;
    predictor.dispose();
    expect(maxRelativeError(softmax, expected)).toBeLessThan(1e-5);
  });

  it("conv1's feature maps equal tf.conv2d of the checkpoint's kernel on the normalized image", async () => {
    const s = await sample(7);
    const result = await service.activations({
      source: { kind: 'run', runId: RUN, checkpoint: 'best' },
      node: 'conv1',
      image: asInput(s.image),
    });
    expect(result.activation.shape).toEqual([6, 28, 28]);
    const checkpoint = loadCheckpoint(join(runDir(), 'best'));
    const expected = conv1Reference(checkpoint, s.image.pixels, checkpoint.meta);
    expect(maxRelativeError(floats(result.activation), expected)).toBeLessThan(1e-5);
    expect(result.activation.min).toBeLessThan(result.activation.max);
  });

  it('the Input node gives the normalized image itself', async () => {
    const s = await sample(1);
    const result = await service.activations({
      source: { kind: 'run', runId: RUN, checkpoint: 'last' },
      node: 'input',
      image: asInput(s.image),
    });
    expect(result.activation.shape).toEqual([1, 28, 28]);
    const { mean, std } = loadCheckpoint(join(runDir(), 'last')).meta;
    const pixels = Buffer.from(s.image.pixels, 'base64');
    const expected = Float32Array.from(pixels, (p) => (p / 255 - mean[0]!) / std[0]!);
    expect(maxRelativeError(floats(result.activation), expected)).toBeLessThan(1e-6);
  });

  it("an untrained graph's conv1 uses the seed's initial weights (the run's initial/) and the digits' normalization", async () => {
    const s = await sample(2);
    const source = { kind: 'graph' as const, graph: template('lenet-5'), seed: 7 };
    const result = await service.activations({ source, node: 'conv1', image: asInput(s.image) });
    expect(result.weights).toBe('untrained');
    expect(result.epoch).toBeNull();
    const initial = loadCheckpoint(join(runDir(), 'initial'));
    const expected = conv1Reference(initial, s.image.pixels, digitsData());
    expect(maxRelativeError(floats(result.activation), expected)).toBeLessThan(1e-5);
    const pool = await service.activations({ source, node: 'pool1', image: asInput(s.image) });
    expect(pool.activation.shape).toEqual([6, 14, 14]);
  });

  it('resolves a block to its inner output node and reaches nodes inside blocks', async () => {
    const graph = template('resnet-cifar');
    const image = {
      width: 32,
      height: 32,
      channels: 3 as const,
      data: new Array(32 * 32 * 3).fill(90),
    };
    const source = { kind: 'graph' as const, graph, seed: 1 };
    const block = await service.activations({ source, node: 'layer1_0', image });
    expect(block.computedNode).not.toBe('layer1_0');
    expect(block.computedNode.startsWith('layer1_0/')).toBe(true);
    const inner = await service.activations({ source, node: block.computedNode, image });
    expect(inner.activation.data).toBe(block.activation.data);
    const conv = await service.activations({ source, node: 'layer1_0/conv1', image });
    expect(conv.type).toBe('Conv2d');
    expect(conv.activation.shape).toEqual([16, 32, 32]);
  });

  it('names an unknown node', async () => {
    const s = await sample(0);
    await expect(
      service.activations({
        source: { kind: 'run', runId: RUN, checkpoint: 'best' },
        node: 'conv9',
        image: asInput(s.image),
      }),
    ).rejects.toThrow(/no node "conv9".*"conv1"/);
  });
});

describe('inspect.filters', () => {
  it("the first conv's kernels before and after training are the checkpoints' tensors", async () => {
    const result = await service.filters({
      source: { kind: 'run', runId: RUN, checkpoint: 'best' },
      node: null,
    });
    expect(result.node).toBe('conv1');
    expect(result.convNodes).toEqual(['conv1', 'conv2']);
    expect(result.trainedEpoch).toBe(1);
    const initial = loadCheckpoint(join(runDir(), 'initial')).weights.get('conv1.weight')!;
    const trained = loadCheckpoint(join(runDir(), 'best')).weights.get('conv1.weight')!;
    expect(result.initial!.shape).toEqual([6, 1, 5, 5]);
    expect([...floats(result.initial!)]).toEqual([...initial.data]);
    expect([...floats(result.trained!)]).toEqual([...trained.data]);
    expect(maxRelativeError(floats(result.initial!), floats(result.trained!))).toBeGreaterThan(
      1e-3,
    );
  });

  it("an untrained graph's filters are the run's initial ones for the same seed", async () => {
    const run = await service.filters({
      source: { kind: 'run', runId: RUN, checkpoint: 'best' },
      node: 'conv2',
    });
    const graph = await service.filters({
      source: { kind: 'graph', graph: template('lenet-5'), seed: 7 },
      node: 'conv2',
    });
    expect(graph.trained).toBeNull();
    expect(graph.initial!.shape).toEqual([16, 6, 5, 5]);
    expect(graph.initial!.data).toBe(run.initial!.data);
  });

  it('refuses a layer that is not a Conv2d, naming the convs', async () => {
    await expect(
      service.filters({ source: { kind: 'run', runId: RUN, checkpoint: 'best' }, node: 'fc1' }),
    ).rejects.toThrow(/"fc1" is a Linear \(Conv2d layers: conv1, conv2\)/);
  });
});

describe('inspect.mistakes', () => {
  it("each cell's total equals the last evaluation's confusion count, and its images are that cell's", async () => {
    const evaluation = ofType(events, 'evaluation').at(-1)!;
    const split = runData(runDir()).validation;
    const predicted = new Int32Array(
      new Uint8Array(readFileSync(join(runDir(), VALIDATION_PREDICTIONS))).buffer,
    );
    let offDiagonal = 0;
    for (let t = 0; t < 10; t++) {
      for (let p = 0; p < 10; p++) {
        const cell = await service.mistakes({
          runId: RUN,
          trueClass: t,
          predictedClass: p,
          limit: 500,
          offset: 0,
        });
        expect(cell.total).toBe(evaluation.confusion[t]![p]);
        expect(cell.images).toHaveLength(cell.total);
        for (const { index } of cell.images) {
          expect(split.labels[index]).toBe(t);
          expect(predicted[index]).toBe(p);
        }
        if (t !== p) offDiagonal += cell.total;
      }
    }
    expect(offDiagonal).toBeGreaterThan(0);
  });

  it('pages with limit and offset', async () => {
    const all = await service.mistakes({
      runId: RUN,
      trueClass: 1,
      predictedClass: 1,
      limit: 500,
      offset: 0,
    });
    const page = await service.mistakes({
      runId: RUN,
      trueClass: 1,
      predictedClass: 1,
      limit: 2,
      offset: 1,
    });
    expect(page.total).toBe(all.total);
    expect(page.images.map((i) => i.index)).toEqual(all.images.slice(1, 3).map((i) => i.index));
  });

  it("refuses a class beyond the run's classes", async () => {
    await expect(
      service.mistakes({ runId: RUN, trueClass: 10, predictedClass: 0, limit: 5, offset: 0 }),
    ).rejects.toThrow(/trueClass is 10, but the run has 10 classes/);
  });

  it('says so when the predictions no longer match the validation split', async () => {
    const path = join(runDir(), VALIDATION_PREDICTIONS);
    const whole = readFileSync(path);
    truncateSync(path, 4 * 60);
    try {
      await expect(
        service.mistakes({ runId: RUN, trueClass: 0, predictedClass: 1, limit: 5, offset: 0 }),
      ).rejects.toThrow(/holds 60 predictions, but its validation split.*has 100 samples/);
    } finally {
      writeFileSync(path, whole);
    }
  });
});

describe('through a host', () => {
  it('real answers pass the contract: web handlers → JSON → the client', async () => {
    const handlers = webHandlers({
      version: '0',
      templates: new TemplateStore(outDir),
      training: async () => undefined,
      trainingAvailable: () => false,
      runsDir: outDir,
      inspect: async () => service,
    });
    const client = createEngineClient({
      call: async (method, params) => {
        // As over the WebSocket: JSON both ways.
        const reply = await dispatchEngineRequest(
          handlers,
          JSON.parse(JSON.stringify({ method, params })),
        );
        if (!reply.ok) throw new Error(reply.error);
        return JSON.parse(JSON.stringify(reply.result));
      },
      onEvent: () => () => {},
    });
    const { samples } = await client.inspect.samples({
      dataset: { kind: 'run', runId: RUN },
      count: 2,
    });
    const image = asInput(samples[0]!.image);
    const maps = await client.inspect.activations({
      source: { kind: 'run', runId: RUN },
      node: 'pool1',
      image,
    });
    expect(maps.activation.shape).toEqual([6, 14, 14]);
    expect(floats(maps.activation)).toHaveLength(6 * 14 * 14);
    const filters = await client.inspect.filters({ source: { kind: 'run', runId: RUN } });
    expect(filters.node).toBe('conv1');
    const cell = await client.inspect.mistakes({ runId: RUN, trueClass: 0, predictedClass: 0 });
    expect(cell.images.length).toBe(Math.min(cell.total, 48));
    await expect(
      client.inspect.mistakes({ runId: '../' + RUN, trueClass: 0, predictedClass: 0 }),
    ).rejects.toThrow(/params\.runId: a run id/);
  });
});

describe('InspectWorkerClient', () => {
  it('answers in a worker thread what the service answers, errors included', async () => {
    const client = new InspectWorkerClient(outDir);
    try {
      const s = await sample(5);
      const params = {
        source: { kind: 'run' as const, runId: RUN, checkpoint: 'best' as const },
        node: 'conv2',
        image: asInput(s.image),
      };
      const [direct, viaWorker] = await Promise.all([
        service.activations(params),
        client.activations(params),
      ]);
      // The worker may run another backend (WASM): the same values within float error.
      expect(viaWorker.activation.shape).toEqual(direct.activation.shape);
      expect(
        maxRelativeError(floats(viaWorker.activation), floats(direct.activation)),
      ).toBeLessThan(1e-4);
      const filters = await client.filters({ source: params.source, node: null });
      expect(filters.trained!.data).toBe(
        (await service.filters({ source: params.source, node: null })).trained!.data,
      );
      await expect(
        client.mistakes({ runId: RUN, trueClass: 12, predictedClass: 0, limit: 1, offset: 0 }),
      ).rejects.toThrow(/trueClass is 12, but the run has 10 classes/);
    } finally {
      await client.dispose();
    }
  }, 60_000);
});
