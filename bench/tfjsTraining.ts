// The tfjs side of the training benchmark, on the WASM backend with the project's kernels: the
// engine's own training step (compiled model, cross-entropy, TorchOptimizer's Adam), then the
// same model on GradientReplica (FlatAdam), alone and data-parallel on two threads.
import * as tf from '@tensorflow/tfjs';
import type { GraphDocument } from '../src/core/graph/document.js';
import { defaultOptimizer } from '../src/api/training.js';
import { CompiledModel } from '../src/engine/model/CompiledModel.js';
import { selectBackend } from '../src/engine/selectBackend.js';
import { outputKind } from '../src/engine/train/loss.js';
import { trainStep, type StepSetup } from '../src/engine/train/trainStep.js';
import { TorchOptimizer } from '../src/engine/train/TorchOptimizer.js';
import { DataParallelTrainer } from '../src/engine/wasm/DataParallelTrainer.js';
import { GradientReplica, type ReplicaConfig } from '../src/engine/wasm/GradientReplica.js';
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
  const setup: StepSetup = {
    model,
    optimizer,
    variables,
    loss: 'cross-entropy',
    kind: outputKind(model.outputType),
    nextSeed: () => seed++,
  };
  let i = 0;
  /** One step exactly as the engine's training loop runs it (src/engine/train/trainStep.ts). */
  const step = (): number => {
    const [x, y] = batches[i++ % batches.length] as [tf.Tensor, tf.Tensor1D];
    return trainStep(setup, x, y, options.lr, false).loss;
  };

  const result = await timeSteps(step, options);
  if (process.env.NNB_BENCH_PROFILE) await printProfile(step);
  tf.dispose(batches);
  optimizer.dispose();
  model.dispose();
  return { ...result, backend };
}

/**
 * The same training on GradientReplica with FlatAdam: alone (`parallel` false), or with
 * DataParallelTrainer, half of every batch in a worker thread on the second core. Data-parallel
 * is exact for graphs without BatchNorm (LeNet-5); with BatchNorm each half uses its own batch
 * statistics.
 */
export async function measureReplicas(
  graph: GraphDocument,
  data: BenchData,
  options: TrainingRunOptions,
  parallel: boolean,
): Promise<Throughput> {
  await selectBackend('wasm');
  const config: ReplicaConfig = {
    graph,
    seed: 0,
    optimizer: { ...defaultOptimizer('adam'), lr: options.lr },
    loss: 'cross-entropy',
  };
  const trainer = parallel ? await DataParallelTrainer.start(config) : new SingleReplica(config);
  const size = data.shape[0] * data.shape[1] * data.shape[2];
  const n = Math.floor(data.count / options.batch);
  let i = 0;
  const step = (): Promise<number> => {
    const b = i++ % n;
    const x = data.images.subarray(b * options.batch * size, (b + 1) * options.batch * size);
    const y = data.labels.subarray(b * options.batch, (b + 1) * options.batch);
    return trainer.step(x, y, options.batch, options.lr);
  };
  try {
    return await timeSteps(step, options);
  } finally {
    await trainer.dispose();
  }
}

/** One replica, no worker: the same interface as DataParallelTrainer. */
class SingleReplica {
  private readonly replica: GradientReplica;
  constructor(config: ReplicaConfig) {
    this.replica = new GradientReplica(config);
  }
  async step(x: Float32Array, labels: Int32Array, count: number, lr: number): Promise<number> {
    const g = this.replica.gradients(x, labels, count);
    this.replica.apply(g.grads, lr);
    return g.loss;
  }
  async dispose(): Promise<void> {
    this.replica.dispose();
  }
}

/** Median samples/s over `repeats` timed runs of `steps` steps, each after `warmup` steps. */
async function timeSteps(
  step: () => number | Promise<number>,
  options: TrainingRunOptions,
): Promise<Throughput> {
  const runs: number[] = [];
  let lastLoss = NaN;
  for (let r = 0; r < options.repeats; r++) {
    for (let k = 0; k < options.warmup; k++) await step();
    const t0 = performance.now();
    // Every step's loss is read back (WASM runs synchronously anyway), as PyTorch's .item().
    for (let k = 0; k < options.steps; k++) lastLoss = await step();
    runs.push((options.steps * options.batch) / ((performance.now() - t0) / 1000));
  }
  return { samplesPerSecond: median(runs), runs, lastLoss };
}

/** Kernel time of one step by kernel name (NNB_BENCH_PROFILE=1): where the time goes. */
async function printProfile(step: () => unknown): Promise<void> {
  const profile = await tf.profile(() => {
    step();
  });
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
