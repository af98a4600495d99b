// The tfjs side of the training benchmark: the engine's compiled model (src/engine/model), Adam
// and softmax cross-entropy, on the WASM backend with the project's kernels.
import * as tf from '@tensorflow/tfjs';
import type { GraphDocument } from '../src/core/graph/document.js';
import { CompiledModel } from '../src/engine/model/CompiledModel.js';
import type { PendingUpdate } from '../src/engine/model/LayerBuilder.js';
import { registerWasmTrainingKernels } from '../src/engine/wasm/index.js';
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
  await registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  const model = CompiledModel.compile(graph, 0);
  const classes = model.outputShape[0] ?? 10;
  const [C, H, W] = data.shape;
  const batches = tf.tidy(() => {
    const x = tf.tensor4d(toNhwc(data), [data.count, H, W, C]);
    const y = tf.oneHot(tf.tensor1d(data.labels, 'int32'), classes);
    const n = Math.floor(data.count / options.batch);
    return [...Array(n).keys()].map((i) => [
      x.slice(i * options.batch, options.batch),
      y.slice(i * options.batch, options.batch),
    ]);
  });
  const optimizer = tf.train.adam(options.lr);
  const variables = model.trainableVariables();
  let seed = 1;
  let i = 0;
  const step = (): tf.Scalar => {
    const [x, y] = batches[i++ % batches.length] as [tf.Tensor, tf.Tensor];
    const updates: PendingUpdate[] = [];
    const loss = optimizer.minimize(
      () => {
        const logits = model.apply(x, { training: true, nextSeed: () => seed++, updates });
        // BatchNorm's running-statistics updates outlive the gradient tape's tidy.
        for (const u of updates) tf.keep(u.value);
        return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
      },
      true,
      variables,
    ) as tf.Scalar;
    for (const u of updates) {
      model.weight(u.weight)?.variable.assign(u.value);
      u.value.dispose();
    }
    return loss;
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
  tf.dispose(batches);
  optimizer.dispose();
  model.dispose();
  return { samplesPerSecond: median(runs), runs, lastLoss, backend: tf.getBackend() };
}
