import tf from '../tfjs.cjs';
import { onWasmWith } from '../wasm/wasmKernelContext.js';
import type { Loss } from '../../api/training.js';
import { CROSS_ENTROPY, CROSS_ENTROPY_GRAD } from '../wasm/crossEntropy.js';

/** What the network's output holds, read off its last layer. */
export type OutputKind = 'logits' | 'log-probabilities' | 'probabilities';

export function outputKind(lastLayerType: string): OutputKind {
  if (lastLayerType === 'LogSoftmax') return 'log-probabilities';
  if (lastLayerType === 'Softmax') return 'probabilities';
  return 'logits';
}

/** log-probabilities of an [N, K] output. */
export function logProbabilities(out: tf.Tensor2D, kind: OutputKind): tf.Tensor2D {
  if (kind === 'log-probabilities') return out;
  if (kind === 'probabilities') return tf.log(tf.maximum(out, 1e-12));
  return tf.logSoftmax(out);
}

/**
 * Mean loss of a batch: cross-entropy as nn.CrossEntropyLoss on logits (NLLLoss after LogSoftmax),
 * or MSE between the output and the one-hot labels (nn.MSELoss, mean over all elements).
 */
export function batchLoss(
  out: tf.Tensor2D,
  labels: tf.Tensor1D,
  loss: Loss,
  kind: OutputKind,
): tf.Scalar {
  const classes = out.shape[1];
  const oneHot = tf.oneHot(labels, classes) as tf.Tensor2D;
  if (loss === 'mse') return tf.mean(tf.squaredDifference(out, oneHot));
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logProbabilities(out, kind)), 1)));
}

/** Number of samples whose highest output is the label. */
export function correctCount(out: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(out, 1), labels), 'float32'));
}

/**
 * A training batch's mean loss (differentiable) and correct count. Cross-entropy on logits runs
 * as our two wasm kernels where they are registered (src/engine/wasm/crossEntropy.ts: one kernel
 * each way instead of ~20 and ~15); everything else as batchLoss and correctCount.
 */
export function lossAndCorrect(
  out: tf.Tensor2D,
  labels: tf.Tensor1D,
  loss: Loss,
  kind: OutputKind,
): { loss: tf.Scalar; correct: tf.Scalar } {
  if (!fusedCrossEntropy(out, labels, loss, kind))
    return { loss: batchLoss(out, labels, loss, kind), correct: correctCount(out, labels) };
  let correct: tf.Scalar | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | ((saved: tf.Tensor[]) => void))[]) => {
    const [logits, save] = args as [tf.Tensor, (saved: tf.Tensor[]) => void];
    const [value, count] = tf.engine().runKernel(CROSS_ENTROPY, { logits, labels }) as tf.Tensor[];
    // Kept: it outlives the op's scope, as the caller's own count would.
    correct = tf.keep(count as tf.Scalar);
    save([logits]);
    return {
      value: value!,
      gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) =>
        tf.engine().runKernel(CROSS_ENTROPY_GRAD, { logits: saved!, labels, dy }) as tf.Tensor,
    };
  });
  const value = op(out) as tf.Scalar;
  return { loss: value, correct: correct! };
}

/** A batch's mean loss without its gradient (evaluation): the same kernel as lossAndCorrect's. */
export function meanLoss(
  out: tf.Tensor2D,
  labels: tf.Tensor1D,
  loss: Loss,
  kind: OutputKind,
): tf.Scalar {
  if (!fusedCrossEntropy(out, labels, loss, kind)) return batchLoss(out, labels, loss, kind);
  const [value, count] = tf
    .engine()
    .runKernel(CROSS_ENTROPY, { logits: out, labels }) as tf.Tensor[];
  count!.dispose();
  return value as tf.Scalar;
}

/** Whether our cross-entropy kernels compute this batch's loss (wasm, [N, K] logits, int32 labels). */
function fusedCrossEntropy(
  out: tf.Tensor,
  labels: tf.Tensor,
  loss: Loss,
  kind: OutputKind,
): boolean {
  return (
    loss === 'cross-entropy' &&
    kind === 'logits' &&
    out.rank === 2 &&
    out.dtype === 'float32' &&
    labels.dtype === 'int32' &&
    onWasmWith(CROSS_ENTROPY)
  );
}
