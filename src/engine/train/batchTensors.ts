import tf from '../tfjs.cjs';
import type { Shape } from '../../core/shape.js';
import type { BatchData } from '../data/makeBatch.js';
import { ourShape } from '../model/layout.js';

/** A batch as tensors shaped for the model's Input (NHWC, or N×F for a flat Input). */
export function batchTensors(
  batch: BatchData,
  inputShape: Shape,
): { x: tf.Tensor; labels: tf.Tensor1D } {
  return {
    x: tf.tensor(batch.x, ourShape(inputShape, batch.size), 'float32'),
    labels: tf.tensor1d(batch.labels, 'int32'),
  };
}
