import tf from '../tfjs.cjs';
import type { Loss } from '../../api/training.js';
import type { ImageSplit } from '../data/Dataset.js';
import { makeBatch, type BatchData, type BatchOptions } from '../data/makeBatch.js';
import type { CompiledModel } from '../model/CompiledModel.js';
import { emptyConfusion } from './classMetrics.js';
import { meanLoss, type OutputKind } from './loss.js';
import { batchTensors } from './batchTensors.js';

/**
 * Samples per evaluation forward pass. A pass keeps every intermediate map until it ends (one
 * tidy), so the batch sets the memory evaluation needs: at 256, ResNet-20's pass held ~0.5 GB,
 * which the wasm heap first had to grow to — the first evaluation of a run took 2.4 s where the
 * next ones took 0.9 (measured: docs/performance.md). At 64 it stays within what training grew;
 * at 32 — the half-batch each thread trains on at the usual batch size of 64 — ResNet-20's first
 * evaluation of 256 images took 0.36–0.38 s instead of 0.48–0.51 (its kernels' shapes were
 * already seen; later evaluations and LeNet-5's unchanged: docs/performance.md).
 */
export const EVAL_BATCH = 32;

/** One evaluation batch's mean loss and each sample's predicted class. */
export interface BatchEvaluation {
  readonly loss: number;
  readonly predicted: Int32Array;
}

/**
 * Evaluates some of the batches elsewhere (the data-parallel trainer's worker, on the other
 * core) with the model's current weights, all of them: trainable and not (BatchNorm's running
 * statistics). Results in the order of `batches`.
 */
export interface EvaluationHelper {
  evaluateBatches(batches: readonly BatchData[]): Promise<BatchEvaluation[]>;
}

/** The tensors of one evaluation batch (the caller disposes them): mean loss, predicted classes. */
export function evaluationTensors(
  model: CompiledModel,
  batch: BatchData,
  loss: Loss,
  kind: OutputKind,
): [tf.Tensor, tf.Tensor] {
  const { x, labels } = batchTensors(batch, model.inputShape);
  const out = tf.tidy(() => {
    const logits = model.apply(x, {
      training: false,
      nextSeed: () => 0,
      updates: [],
    }) as tf.Tensor2D;
    return [meanLoss(logits, labels, loss, kind), tf.argMax(logits, 1)] as [tf.Tensor, tf.Tensor];
  });
  tf.dispose([x, labels]);
  return out;
}

/**
 * Mean loss, the confusion matrix and each sample's predicted class (in the split's order) of the
 * model, in evaluation mode, on a split. With a `helper`, the second half of the batches is
 * evaluated there at the same time; the results are the same to the bit (the same weights, the
 * same kernels, the losses added in batch order).
 */
export async function evaluate(
  model: CompiledModel,
  split: ImageSplit,
  options: BatchOptions,
  loss: Loss,
  kind: OutputKind,
  classes: number,
  helper?: EvaluationHelper,
): Promise<{ loss: number; confusion: number[][]; predicted: Int32Array }> {
  const starts: number[] = [];
  for (let start = 0; start < split.count; start += EVAL_BATCH) starts.push(start);
  const batchAt = (start: number) =>
    makeBatch(
      split,
      Array.from({ length: Math.min(EVAL_BATCH, split.count - start) }, (_, i) => start + i),
      options,
    );
  const local = helper === undefined ? starts.length : Math.ceil(starts.length / 2);
  const remote =
    local < starts.length
      ? helper!.evaluateBatches(starts.slice(local).map(batchAt)).catch(() => null)
      : null;
  const evaluateHere = async (start: number): Promise<BatchEvaluation> => {
    const [lossValue, predicted] = evaluationTensors(model, batchAt(start), loss, kind);
    const result = {
      loss: (await lossValue.data())[0]!,
      predicted: Int32Array.from(await predicted.data()),
    };
    tf.dispose([lossValue, predicted]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    return result;
  };
  const results: BatchEvaluation[] = [];
  for (const start of starts.slice(0, local)) results.push(await evaluateHere(start));
  // If the worker failed, its batches are evaluated here (training reports that failure itself).
  const theirs = remote === null ? null : await remote;
  if (theirs !== null) results.push(...theirs);
  else for (const start of starts.slice(local)) results.push(await evaluateHere(start));
  const confusion = emptyConfusion(classes);
  const predictedAll = new Int32Array(split.count);
  let lossSum = 0;
  results.forEach((r, k) => {
    const start = starts[k]!;
    lossSum += r.loss * r.predicted.length;
    r.predicted.forEach((p, i) => {
      confusion[split.labels[start + i]!]![p]!++;
      predictedAll[start + i] = p;
    });
  });
  return { loss: lossSum / Math.max(split.count, 1), confusion, predicted: predictedAll };
}
