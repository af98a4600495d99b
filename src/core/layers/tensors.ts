import type { Shape } from '../shape.js';
import type { TensorSpec } from '../weights/StateDict.js';

/** Elements of a tensor of this shape (a scalar, shape [], has one). */
export function elements(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** What a layer's ParamOutcome reports, summed over its tensors (int64 counters take 8 bytes). */
export function countTensors(tensors: readonly TensorSpec[]): {
  readonly weights: number;
  readonly buffers: number;
  readonly bufferBytes: number;
} {
  let weights = 0;
  let buffers = 0;
  let bufferBytes = 0;
  for (const t of tensors) {
    const n = elements(t.shape);
    if (t.trainable) weights += n;
    else {
      buffers += n;
      bufferBytes += n * (t.role === 'batches-tracked' ? 8 : 4);
    }
  }
  return { weights, buffers, bufferBytes };
}

/**
 * A weight of `shape` and, with `bias`, a bias of `biasSize`: both drawn from
 * U(±1/√fan_in) by torch's reset_parameters (kaiming_uniform with a=√5, then the bias bound).
 */
export function weightAndBias(
  shape: Shape,
  fanIn: number,
  bias: boolean,
  biasSize: number,
): TensorSpec[] {
  const weight: TensorSpec = { name: 'weight', shape, role: 'weight', fanIn, trainable: true };
  if (!bias) return [weight];
  return [weight, { name: 'bias', shape: [biasSize], role: 'bias', fanIn, trainable: true }];
}
