import * as tf from '@tensorflow/tfjs';
import type { Loss } from '../../api/training.js';
import type { ImageSplit } from '../data/Dataset.js';
import { makeBatch, type BatchOptions } from '../data/makeBatch.js';
import type { CompiledModel } from '../model/CompiledModel.js';
import { emptyConfusion } from './classMetrics.js';
import { batchLoss, type OutputKind } from './loss.js';
import { batchTensors } from './batchTensors.js';

/**
 * Samples per evaluation forward pass. A pass keeps every intermediate map until it ends (one
 * tidy), so the batch sets the memory evaluation needs: at 256, ResNet-20's pass held ~0.5 GB,
 * which the wasm heap first had to grow to — the first evaluation of a run took 2.4 s where the
 * next ones took 0.9 (measured: docs/performance.md). At 64 it stays within what training grew.
 */
const EVAL_BATCH = 64;

/**
 * Mean loss, the confusion matrix and each sample's predicted class (in the split's order) of the
 * model, in evaluation mode, on a split.
 */
export async function evaluate(
  model: CompiledModel,
  split: ImageSplit,
  options: BatchOptions,
  loss: Loss,
  kind: OutputKind,
  classes: number,
): Promise<{ loss: number; confusion: number[][]; predicted: Int32Array }> {
  const confusion = emptyConfusion(classes);
  const predictedAll = new Int32Array(split.count);
  let lossSum = 0;
  for (let start = 0; start < split.count; start += EVAL_BATCH) {
    const indices = Array.from(
      { length: Math.min(EVAL_BATCH, split.count - start) },
      (_, i) => start + i,
    );
    const batch = makeBatch(split, indices, options);
    const { x, labels } = batchTensors(batch, model.inputShape);
    const [lossValue, predicted] = tf.tidy(() => {
      const out = model.apply(x, {
        training: false,
        nextSeed: () => 0,
        updates: [],
      }) as tf.Tensor2D;
      return [batchLoss(out, labels, loss, kind), tf.argMax(out, 1)] as const;
    });
    lossSum += (await lossValue.data())[0]! * batch.size;
    const p = await predicted.data();
    for (let i = 0; i < batch.size; i++) {
      confusion[batch.labels[i]!]![p[i]!]!++;
      predictedAll[start + i] = p[i]!;
    }
    tf.dispose([x, labels, lossValue, predicted]);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { loss: lossSum / Math.max(split.count, 1), confusion, predicted: predictedAll };
}
