import tf from '../tfjs.cjs';
import type { BatchData } from '../data/makeBatch.js';
import { throwIfGpuFailed } from '../webgpu/gpuErrors.js';
import { batchTensors } from './batchTensors.js';
import type { StepQueue } from './BatchTrainer.js';
import {
  applyUpdates,
  computeGradients,
  disposeGradients,
  gradientSquares,
  normsFrom,
  type StepResult,
  type StepSetup,
} from './trainStep.js';

/** Steps between read-backs unless NNB_GPU_READ_EVERY says otherwise (1 reads every step). */
export const DEFAULT_READ_EVERY = 10;

export function readEveryFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.NNB_GPU_READ_EVERY);
  return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : DEFAULT_READ_EVERY;
}

interface Queued {
  /** [loss, correct] of the step. */
  readonly stats: tf.Tensor1D;
  readonly norms: { readonly nodes: string[]; readonly squares: tf.Tensor1D } | null;
}

/**
 * Training on a GPU backend, where nothing can be read synchronously and every read-back is a
 * round trip that leaves the GPU idle: each step's loss, correct count and gradient norms stay
 * on the device, and are read together every `readEvery` steps (and on flush). The numbers are
 * the ones a read after every step would give: the same tensors, read later.
 *
 * One difference from trainStep: a step is applied before its loss is known, so a non-finite
 * loss no longer skips its update. Such a loss ends the run (`nan-loss`) before anything is
 * saved, so no checkpoint ever holds those weights.
 */
export class DeferredReadTrainer implements StepQueue {
  readonly threads = 1;
  private queued: Queued[] = [];

  constructor(
    private readonly setup: StepSetup,
    private readonly readEvery: number,
  ) {}

  async enqueue(batch: BatchData, lr: number, withNorms: boolean): Promise<StepResult[]> {
    const s = this.setup;
    const { x, labels } = batchTensors(batch, s.model.inputShape);
    try {
      const g = computeGradients(s, x, labels);
      const stats = tf.tidy(() => tf.stack([g.value, g.correct]) as tf.Tensor1D);
      const norms = withNorms ? gradientSquares(s.model, g.grads) : null;
      s.optimizer.step(g.grads, lr);
      applyUpdates(s.model, g.updates);
      disposeGradients(g);
      this.queued.push({ stats, norms });
    } finally {
      tf.dispose([x, labels]);
    }
    return this.queued.length >= this.readEvery ? this.flush() : [];
  }

  /** Reads every queued step's numbers in one transfer. */
  async flush(): Promise<StepResult[]> {
    const items = this.queued;
    this.queued = [];
    if (items.length === 0) return [];
    const parts = items.flatMap((q) => (q.norms ? [q.stats, q.norms.squares] : [q.stats]));
    const all = tf.concat(parts);
    tf.dispose(parts);
    let values: Float32Array;
    try {
      values = (await all.data()) as Float32Array;
    } finally {
      all.dispose();
    }
    throwIfGpuFailed('a training step');
    let at = 0;
    return items.map((q) => {
      const loss = values[at++]!;
      const correct = values[at++]!;
      if (q.norms === null) return { loss, correct };
      const squares = values.subarray(at, at + q.norms.nodes.length);
      at += q.norms.nodes.length;
      return { loss, correct, gradientNorms: normsFrom(q.norms.nodes, squares) };
    });
  }

  async dispose(): Promise<void> {
    const items = this.queued;
    this.queued = [];
    tf.dispose(items.flatMap((q) => (q.norms ? [q.stats, q.norms.squares] : [q.stats])));
    return Promise.resolve();
  }
}
