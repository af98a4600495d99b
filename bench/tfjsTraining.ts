// The tfjs side of the training benchmark: the engine's compiled model (src/engine/model), Adam
// and softmax cross-entropy, on the WASM backend with the project's kernels.
import * as tf from '@tensorflow/tfjs';
import type { GraphDocument } from '../src/core/graph/document.js';
import { defaultOptimizer } from '../src/api/training.js';
import { CompiledModel } from '../src/engine/model/CompiledModel.js';
import type { PendingUpdate } from '../src/engine/model/LayerBuilder.js';
import { selectBackend } from '../src/engine/selectBackend.js';
import { batchLoss } from '../src/engine/train/loss.js';
import { TorchOptimizer } from '../src/engine/train/TorchOptimizer.js';
import { DataParallelTrainer } from '../src/engine/wasm/DataParallelTrainer.js';
import { toNhwc, type BenchData } from './trainingData.js';

export interface TrainingRunOptions {
  readonly batch: number;
  /** Steps run before each timed repeat (JIT, heap growth, XNNPACK operator caches). */
  readonly warmup: number;
  readonly steps: number;
  readonly repeats: number;
  readonly lr: number;
}

export interface Throughput {
  /** Median over the repeats. */
  readonly samplesPerSecond: number;
  readonly runs: readonly number[];
  readonly lastLoss: number;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** tfjs steady-state samples/s training `graph` on `data` with the WASM backend. */
export async function measureTfjs(
  graph: GraphDocument,
  data: BenchData,
  options: TrainingRunOptions,
): Promise<Throughput & { backend: string }> {
  const { backend } = await selectBackend('wasm');
  const model = CompiledModel.compile(graph, 0);
  const [C, H, W] = data.shape;
  const batches = tf.tidy(() => {
    const x = tf.tensor4d(toNhwc(data), [data.count, H, W, C]);
    const y = tf.tensor1d(data.labels, 'int32');
    const n = Math.floor(data.count / options.batch);
    return [...Array(n).keys()].map((i) => [
      x.slice(i * options.batch, options.batch),
      y.slice(i * options.batch, options.batch),
    ]);
  });
  const variables = model.trainableVariables();
  const optimizer = new TorchOptimizer({ ...defaultOptimizer('adam'), lr: options.lr }, variables);
  let seed = 1;
  let i = 0;
  /** One training step as the engine runs it: forward, loss, gradients, PyTorch's Adam. */
  const step = (): tf.Scalar => {
    const [x, y] = batches[i++ % batches.length] as [tf.Tensor, tf.Tensor1D];
    const updates: PendingUpdate[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const out = model.apply(x, { training: true, nextSeed: () => seed++, updates });
      // BatchNorm's running-statistics updates outlive the gradient tape's tidy.
      for (const u of updates) tf.keep(u.value);
      return batchLoss(out as tf.Tensor2D, y, 'cross-entropy', 'logits');
    }, variables);
    optimizer.step(
      variables.map((v) => grads[v.name]!),
      options.lr,
    );
    tf.dispose(grads);
    for (const u of updates) {
      model.weight(u.weight)?.variable.assign(u.value);
      u.value.dispose();
    }
    return value;
  };

  const runs: number[] = [];
  let lastLoss = NaN;
  for (let r = 0; r < options.repeats; r++) {
    for (let k = 0; k < options.warmup; k++) step().dispose();
    const t0 = performance.now();
    let loss: tf.Scalar | undefined;
    for (let k = 0; k < options.steps; k++) {
      loss?.dispose();
      loss = step();
    }
    // Reading the last loss waits for all queued work: the same sync point as PyTorch's .item().
    lastLoss = (await loss!.data())[0] ?? NaN;
    loss!.dispose();
    runs.push((options.steps * options.batch) / ((performance.now() - t0) / 1000));
  }
  if (process.env.NNB_BENCH_PROFILE) await printProfile(step);
  tf.dispose(batches);
  optimizer.dispose();
  model.dispose();
  return { samplesPerSecond: median(runs), runs, lastLoss, backend };
}

/**
 * The same training with DataParallelTrainer: half of every batch in a worker thread on the
 * second core. Exact for graphs without BatchNorm (LeNet-5); with BatchNorm each half uses its
 * own batch statistics.
 */
export async function measureDataParallel(
  graph: GraphDocument,
  data: BenchData,
  options: TrainingRunOptions,
): Promise<Throughput> {
  await selectBackend('wasm');
  const trainer = await DataParallelTrainer.start({
    graph,
    seed: 0,
    optimizer: { ...defaultOptimizer('adam'), lr: options.lr },
    loss: 'cross-entropy',
  });
  const size = data.shape[0] * data.shape[1] * data.shape[2];
  const n = Math.floor(data.count / options.batch);
  let i = 0;
  const step = (): Promise<number> => {
    const b = i++ % n;
    const x = data.images.subarray(b * options.batch * size, (b + 1) * options.batch * size);
    const y = data.labels.subarray(b * options.batch, (b + 1) * options.batch);
    return trainer.step(x, y, options.batch, options.lr);
  };
  const runs: number[] = [];
  let lastLoss = NaN;
  try {
    for (let r = 0; r < options.repeats; r++) {
      for (let k = 0; k < options.warmup; k++) await step();
      const t0 = performance.now();
      for (let k = 0; k < options.steps; k++) lastLoss = await step();
      runs.push((options.steps * options.batch) / ((performance.now() - t0) / 1000));
    }
  } finally {
    await trainer.dispose();
  }
  return { samplesPerSecond: median(runs), runs, lastLoss };
}

/** Kernel time of one step by kernel name (NNB_BENCH_PROFILE=1): where the time goes. */
async function printProfile(step: () => tf.Scalar): Promise<void> {
  const profile = await tf.profile(() => step().dispose());
  const byName = new Map<string, { calls: number; ms: number }>();
  for (const k of profile.kernels) {
    const e = byName.get(k.name) ?? { calls: 0, ms: 0 };
    e.calls++;
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    byName.set(k.name, e);
  }
  const rows = [...byName].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((t, [, e]) => t + e.ms, 0);
  console.log(
    `    one step: ${profile.kernels.length} kernel calls, ${total.toFixed(1)} ms in kernels`,
  );
  for (const [name, e] of rows.slice(0, 12)) {
    console.log(
      `    ${name.padEnd(28)} ${String(e.calls).padStart(4)} calls ${e.ms.toFixed(2).padStart(7)} ms`,
    );
  }
}
