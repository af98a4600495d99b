// Data-parallel training over two cores. The WASM backend is single-threaded in Node, so a worker
// thread with its own WASM instance computes the gradients of part of every batch while this
// thread computes the rest; the size-weighted mean of the two is exactly the gradient of the
// batch's mean loss. This thread alone owns the optimizer: it steps and sends the new weights to
// the worker, so the run's model, optimizer state and checkpoints are the single-thread ones.
//
// Without BatchNorm this is exactly the single-thread step. With BatchNorm it is the step of
// PyTorch's DistributedDataParallel on two processes without SyncBatchNorm (broadcast_buffers on,
// its default), checked against real torchrun/gloo DDP (test/engine/dataParallelBatchNorm.test.ts):
// - each half normalizes with its own batch statistics (DDP: each rank's own batch);
// - the gradient is the mean of the halves' (DDP's all-reduce mean; for an odd batch, ⌈n/2⌉ and
//   ⌊n/2⌋ weighted by size — DistributedSampler never gives DDP unequal shards);
// - the running statistics are this thread's half's update (DDP's rank 0: it broadcasts its
//   buffers to every rank before each forward, so rank 1's update never survives). The worker
//   makes none (GradientReplica.gradients); in training mode it never reads them.
// A batch too small to give each half 2 samples runs whole on this thread: with BatchNorm a half of
// one sample has no batch variance (PyTorch refuses it where there is one value per channel).
//
// Dropout masks differ from a single-thread run (each part draws its own), but a seed still gives
// one run.
import tf from '../tfjs.cjs';
import type { GraphDocument } from '../../core/graph/document.js';
import type { BatchData } from '../data/makeBatch.js';
import { ourShape } from '../model/layout.js';
import { concatData, type PartialGradients } from '../wasm/GradientReplica.js';
import { RemoteReplica } from '../wasm/RemoteReplica.js';
import type { BatchTrainer } from './BatchTrainer.js';
import type { BatchEvaluation, EvaluationHelper } from './evaluate.js';
import {
  applyUpdates,
  computeGradients,
  disposeGradients,
  type StepResult,
  type StepSetup,
} from './trainStep.js';

/**
 * Share of each batch computed on this thread. This thread also runs the optimizer (~0.3 ms for
 * LeNet-5 with FlatAdam) while the worker waits; on this shared machine the difference was lost in
 * the noise, so the halves are equal.
 */
const LOCAL_SHARE = 0.5;

/** The fewest samples a part may have (BatchNorm needs 2 for a batch variance). */
const MIN_PART = 2;

export class DataParallelTrainer implements BatchTrainer, EvaluationHelper {
  readonly threads = 2;

  private constructor(
    private readonly setup: StepSetup,
    private readonly remote: RemoteReplica,
  ) {}

  /** Starts the worker with a replica identical to `setup.model` (every weight is sent). */
  static async start(
    setup: StepSetup,
    graph: GraphDocument,
    seed: number,
  ): Promise<DataParallelTrainer> {
    const weights = setup.model.weights.map((w) => w.variable.dataSync() as Float32Array);
    const remote = await RemoteReplica.start({ graph, seed, loss: setup.loss, weights });
    return new DataParallelTrainer(setup, remote);
  }

  async step(batch: BatchData, lr: number, withNorms: boolean): Promise<StepResult> {
    const s = this.setup;
    const n = batch.size;
    const local = n < 2 * MIN_PART ? n : Math.round(n * LOCAL_SHARE);
    const sampleSize = batch.x.length / n;
    let remote: Promise<PartialGradients> | null = null;
    if (local < n) {
      remote = this.remote.gradients(
        batch.x.slice(local * sampleSize, n * sampleSize),
        batch.labels.slice(local, n),
        n - local,
        s.nextSeed(),
      );
      // A failed request rejects here too; awaited below.
      remote.catch(() => {});
    }
    const mine = this.localGradients(batch, local);
    const parts = remote === null ? [mine.part] : [mine.part, await remote];
    const [a, b] = parts as [PartialGradients, PartialGradients | undefined];
    const total = a.count + (b?.count ?? 0);
    const loss = parts.reduce((l, p) => l + (p.count / total) * p.loss, 0);
    const correct = parts.reduce((c, p) => c + p.correct, 0);
    // The mean gradient is formed only where it is read: FlatAdam forms it inside its loop.
    const fused =
      b !== undefined && !withNorms ? s.optimizer.stepMean?.bind(s.optimizer) : undefined;
    const mean = fused === undefined ? weightedMean(parts) : null;
    const result: StepResult = {
      loss,
      correct,
      ...(withNorms && mean !== null && { gradientNorms: this.norms(mean.grads) }),
    };
    if (Number.isFinite(loss)) {
      if (mean !== null) s.optimizer.stepFlat(mean.grads, lr);
      else fused!(a.grads, a.count / total, b!.grads, b!.count / total, lr);
      applyUpdates(s.model, mine.updates);
      this.remote.setTrainable(s.optimizer.weights());
    }
    tf.dispose(mine.updates.map((u) => u.value));
    return result;
  }

  /**
   * EvaluationHelper: the worker evaluates `batches` with this model's weights — its trainable
   * ones are already the last step's, the others (running statistics) are sent along.
   */
  evaluateBatches(batches: readonly BatchData[]): Promise<BatchEvaluation[]> {
    const buffers = this.setup.model.weights.filter((w) => !w.trainable);
    const flat = new Float32Array(buffers.reduce((n, w) => n + w.variable.size, 0));
    let offset = 0;
    for (const w of buffers) {
      flat.set(w.variable.dataSync() as Float32Array, offset);
      offset += w.variable.size;
    }
    return this.remote.evaluate(flat, batches);
  }

  async dispose(): Promise<void> {
    await this.remote.dispose();
  }

  private localGradients(batch: BatchData, count: number) {
    const s = this.setup;
    const sampleSize = batch.x.length / batch.size;
    const x = tf.tensor(
      batch.x.subarray(0, count * sampleSize),
      ourShape(s.model.inputShape, count),
      'float32',
    );
    const y = tf.tensor1d(batch.labels.subarray(0, count), 'int32');
    const g = computeGradients(s, x, y);
    const grads = concatData(g.grads);
    const [loss, correct] = tf.tidy(() => tf.stack([g.value, g.correct]).dataSync());
    const updates = g.updates;
    disposeGradients({ ...g, updates: [] });
    tf.dispose([x, y]);
    const part: PartialGradients = { grads, loss: loss ?? NaN, correct: correct ?? 0, count };
    return { part, updates };
  }

  /** L2 norm of the gradient per node, from the flat gradient. */
  private norms(grads: Float32Array): Record<string, number> {
    const sums = new Map<string, number>();
    let offset = 0;
    for (const w of this.setup.model.weights) {
      if (!w.trainable) continue;
      let sq = 0;
      const end = offset + w.variable.size;
      for (let i = offset; i < end; i++) sq += grads[i]! * grads[i]!;
      sums.set(w.node, (sums.get(w.node) ?? 0) + sq);
      offset = end;
    }
    return Object.fromEntries([...sums].map(([node, sq]) => [node, Math.sqrt(sq)]));
  }
}

/** Σ countᵢ·gᵢ / Σ countᵢ: the gradient of the whole batch's mean loss. */
function weightedMean(parts: readonly PartialGradients[]): { grads: Float32Array } {
  const [a, b] = parts as [PartialGradients, PartialGradients | undefined];
  if (b === undefined) return a;
  const total = a.count + b.count;
  // One pass over both halves (FlatAdam.stepMean forms the same values), each rounded once.
  const grads = new Float32Array(a.grads.length);
  const wa = a.count / total;
  const wb = b.count / total;
  const ga = a.grads;
  const gb = b.grads;
  for (let i = 0; i < grads.length; i++) grads[i] = wa * ga[i]! + wb * gb[i]!;
  return { grads };
}
