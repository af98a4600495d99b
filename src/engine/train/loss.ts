import tf from '../tfjs.cjs';
import type { Loss } from '../../api/training.js';

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
