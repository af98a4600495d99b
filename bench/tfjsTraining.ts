// The tfjs side of the training benchmark, on the WASM backend with the project's kernels: the
// engine's step with TorchOptimizer's tfjs-op Adam (what `nnb train` ran before), and the step
// `nnb train` runs now (runTraining's BatchTrainer with FlatAdam), on one thread and as
// runTraining chooses (data-parallel on two threads for graphs without BatchNorm).
import * as tf from '@tensorflow/tfjs';
import type { GraphDocument } from '../src/core/graph/document.js';
import { defaultOptimizer } from '../src/api/training.js';
import type { BatchData } from '../src/engine/data/makeBatch.js';
import { CompiledModel } from '../src/engine/model/CompiledModel.js';
import { selectBackend } from '../src/engine/selectBackend.js';
import { createBatchTrainer, trainingThreads } from '../src/engine/train/BatchTrainer.js';
import { outputKind } from '../src/engine/train/loss.js';
import { createOptimizer, type StepOptimizer } from '../src/engine/train/StepOptimizer.js';
import { TorchOptimizer } from '../src/engine/train/TorchOptimizer.js';
import type { StepSetup } from '../src/engine/train/trainStep.js';
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

/** Which of our training paths to time. */
export type TfjsPath =
  /** trainStep with TorchOptimizer (~13 tfjs kernels per variable for Adam), one thread. */
  | 'torch-optimizer'
  /** runTraining's step (FlatAdam) on one thread. */
  | 'train-1'
  /** runTraining's step with the thread count runTraining picks for this graph. */
  | 'train-auto';

/** The thread count `nnb train` would use for `graph` on the WASM backend here. */
export async function autoThreads(graph: GraphDocument): Promise<number> {
  await selectBackend('wasm');
  const model = CompiledModel.compile(graph, 0);
  const threads = trainingThreads('wasm', model);
  model.dispose();
  return threads;
}

/** tfjs steady-state samples/s training `graph` on `data` with the WASM backend. */
export async function measureTfjs(
  graph: GraphDocument,
  data: BenchData,
  options: TrainingRunOptions,
  path: TfjsPath,
): Promise<Throughput & { threads: number }> {
  await selectBackend('wasm');
  const model = CompiledModel.compile(graph, 0);
  const variables = model.trainableVariables();
  const adam = { ...defaultOptimizer('adam'), lr: options.lr };
  const optimizer: StepOptimizer =
    path === 'torch-optimizer'
      ? new TorchOptimizer(adam, variables)
      : createOptimizer(adam, variables);
  let seed = 1;
  const setup: StepSetup = {
    model,
    optimizer,
    variables,
    loss: 'cross-entropy',
    kind: outputKind(model.outputType),
    nextSeed: () => seed++,
  };
  const { trainer } = await createBatchTrainer({
    setup,
    backend: 'wasm',
    graph,
    seed: 0,
    ...(path !== 'train-auto' && { threads: 1 }),
  });
  const x = toNhwc(data);
  const size = data.shape[0] * data.shape[1] * data.shape[2];
  const n = Math.floor(data.count / options.batch);
  let i = 0;
  /** One step exactly as runTraining's loop runs it (its batches are in the same layout). */
  const step = async (): Promise<number> => {
    const b = i++ % n;
    const batch: BatchData = {
      x: x.subarray(b * options.batch * size, (b + 1) * options.batch * size),
      labels: data.labels.subarray(b * options.batch, (b + 1) * options.batch),
      size: options.batch,
    };
    const [result] = await trainer.enqueue(batch, options.lr, false);
    return result?.loss ?? NaN;
  };
  try {
    const result = await timeSteps(step, options);
    if (process.env.NNB_BENCH_PROFILE && trainer.threads === 1) {
      console.log(`    kernel profile of one step, ${path}:`);
      await printProfile(step);
    }
    return { ...result, threads: trainer.threads };
  } finally {
    await trainer.dispose();
    optimizer.dispose();
    model.dispose();
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
async function printProfile(step: () => Promise<unknown>): Promise<void> {
  const profile = await tf.profile(async () => {
    await step();
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
