import tf from '../tfjs.cjs';
import { availableParallelism } from 'node:os';
import type { BackendName } from '../../api/training.js';
import type { GraphDocument } from '../../core/graph/document.js';
import type { BatchData } from '../data/makeBatch.js';
import type { CompiledModel } from '../model/CompiledModel.js';
import { batchTensors } from './batchTensors.js';
import { DataParallelTrainer } from './DataParallelTrainer.js';
import { DeferredReadTrainer, readEveryFromEnv } from './DeferredReadTrainer.js';
import { threadsFor } from './trainingThreads.js';
import { discardPrestartedWorker } from '../wasm/RemoteReplica.js';
import type { EvaluationHelper } from './evaluate.js';
import { trainStep, type StepResult, type StepSetup } from './trainStep.js';

/** Runs the training loop's steps: on this thread, or data-parallel with a worker thread. */
export interface BatchTrainer {
  /** Threads computing gradients: 1, or 2 when data-parallel. */
  readonly threads: number;
  /** One optimizer step on a batch (inputs in the model's layout, as makeBatch gives them). */
  step(batch: BatchData, lr: number, withNorms: boolean): Promise<StepResult>;
  dispose(): Promise<void>;
}

/**
 * What the training loop drives: steps are queued, and their results come back in order, some
 * steps later on a GPU (read back every few steps, so the GPU never waits for the host), at
 * once elsewhere. `flush` returns every result still outstanding.
 */
export interface StepQueue {
  readonly threads: number;
  /** Where part of each evaluation can run at the same time (the data-parallel worker). */
  readonly evaluationHelper?: EvaluationHelper;
  enqueue(batch: BatchData, lr: number, withNorms: boolean): Promise<StepResult[]>;
  flush(): Promise<StepResult[]>;
  dispose(): Promise<void>;
}

/** A trainer whose every step's result is known when the step returns, as a StepQueue. */
export function immediate(trainer: BatchTrainer): StepQueue {
  return {
    threads: trainer.threads,
    enqueue: async (batch, lr, withNorms) => [await trainer.step(batch, lr, withNorms)],
    flush: () => Promise.resolve([]),
    dispose: () => trainer.dispose(),
  };
}

/** The engine's trainStep on this thread. */
export class SingleThreadTrainer implements BatchTrainer {
  readonly threads = 1;
  constructor(private readonly setup: StepSetup) {}

  step(batch: BatchData, lr: number, withNorms: boolean): Promise<StepResult> {
    const { x, labels } = batchTensors(batch, this.setup.model.inputShape);
    try {
      return Promise.resolve(trainStep(this.setup, x, labels, lr, withNorms));
    } finally {
      tf.dispose([x, labels]);
    }
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * How many threads a training of `model` on `backend` should use. Data-parallel needs the
 * single-threaded WASM backend (native backends use every core themselves) and a second core.
 * With BatchNorm it trains with the semantics of PyTorch's DistributedDataParallel on two
 * processes without SyncBatchNorm (each half normalizes with its own statistics; the running
 * statistics are the first half's, DDP's rank 0): not the same training as one thread on the
 * whole batch, see DataParallelTrainer. NNB_THREADS=1 forces one thread.
 */
export function trainingThreads(
  backend: BackendName,
  _model: CompiledModel,
  env: NodeJS.ProcessEnv = process.env,
  cores = availableParallelism(),
): 1 | 2 {
  return threadsFor(backend, env, cores);
}

export interface TrainerOptions {
  readonly setup: StepSetup;
  readonly backend: BackendName;
  readonly graph: GraphDocument;
  readonly seed: number;
  /** Overrides trainingThreads() (the benchmark measures both). */
  readonly threads?: 1 | 2;
}

/**
 * The fastest trainer for this run: on `webgpu` one that reads results back every few steps; on
 * WASM with a second core a data-parallel one. If the worker thread cannot start, falls back to
 * one thread and says why in `fallback`.
 */
export async function createBatchTrainer(
  o: TrainerOptions,
): Promise<{ trainer: StepQueue; fallback: string | null }> {
  const threads = o.threads ?? trainingThreads(o.backend, o.setup.model);
  // A worker `nnb train` started ahead of need (src/cli/earlyStart.ts) goes unused.
  if (o.backend !== 'wasm' || threads === 1) await discardPrestartedWorker();
  if (o.backend === 'webgpu') {
    return { trainer: new DeferredReadTrainer(o.setup, readEveryFromEnv()), fallback: null };
  }
  if (threads === 1)
    return { trainer: immediate(new SingleThreadTrainer(o.setup)), fallback: null };
  try {
    const trainer = await DataParallelTrainer.start(o.setup, o.graph, o.seed);
    return { trainer: { ...immediate(trainer), evaluationHelper: trainer }, fallback: null };
  } catch (error) {
    return {
      trainer: immediate(new SingleThreadTrainer(o.setup)),
      fallback: `training on one thread: ${(error as Error).message}`,
    };
  }
}
