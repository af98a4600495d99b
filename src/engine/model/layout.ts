import tf from '../tfjs.cjs';

/*
 * Feature maps run as NHWC (the layout every tfjs backend implements), while PyTorch is NCHW. A
 * tensor is NHWC exactly when its PyTorch shape (without batch) has rank 3; flat [N, F] and
 * sequence [N, L, F] tensors keep PyTorch's order. These helpers translate at the few places
 * where order matters (Flatten, Softmax dims, Concat dims).
 */

/** NHWC axis of each NCHW axis: N→0, C→3, H→1, W→2. */
const NHWC_AXIS_OF_NCHW = [0, 3, 1, 2] as const;

/** The tensor in PyTorch's axis order (NCHW for feature maps). */
export function toTorchOrder(x: tf.Tensor): tf.Tensor {
  return x.rank === 4 ? tf.transpose(x, [0, 3, 1, 2]) : x;
}

/** Back from PyTorch's order to ours. */
export function fromTorchOrder(x: tf.Tensor): tf.Tensor {
  return x.rank === 4 ? tf.transpose(x, [0, 2, 3, 1]) : x;
}

/**
 * Our axis for a PyTorch `dim` (batch axis counted, negatives from the end) of a tensor with
 * `rank` axes including the batch.
 */
export function ourAxis(dim: number, rank: number): number {
  const d = dim < 0 ? dim + rank : dim;
  return rank === 4 ? (NHWC_AXIS_OF_NCHW[d] ?? d) : d;
}

/** A PyTorch shape (no batch) as our tensor shape with batch `n`. */
export function ourShape(shape: readonly number[], n: number): number[] {
  if (shape.length === 3) {
    const [c, h, w] = shape as [number, number, number];
    return [n, h, w, c];
  }
  return [n, ...shape];
}
