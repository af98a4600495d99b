// BatchNorm's running statistics as one WASM kernel per layer and step:
//   running_mean ← (1 − m)·running_mean + m·μ,   running_var ← (1 − m)·running_var + m·(n/(n−1))·σ²
// where tfjs ops took nine kernel calls (two blends of sub, mul, mul, add, and the unbiasing mul),
// ~190 of a ResNet-20 step's ~600 — each a few channels of arithmetic behind ~30 µs of the engine's
// bookkeeping (docs/performance.md). Every value is rounded to float32 after each operation, in
// the ops' order, so the statistics are the same floats the ops gave.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView } from './wasmKernelContext.js';

/** Kernel name (registered for 'wasm' only). */
export const RUNNING_STATS = 'NnbRunningStats';

const fround = Math.fround;

export interface RunningStatsAttrs {
  /** PyTorch's momentum: the weight of the batch's statistic */
  readonly momentum: number;
  /** n / (n − 1): the biased batch variance to the unbiased one */
  readonly unbiasing: number;
}

/**
 * [running_mean′, running_var′] from the running statistics and the batch's mean and biased
 * variance (each [C], float32); with `count` (num_batches_tracked, a scalar) also count + 1, where
 * the Add op took a kernel call of its own.
 */
export function runningStats({
  inputs,
  attrs,
  backend,
}: {
  inputs: {
    runningMean: tf.TensorInfo;
    runningVar: tf.TensorInfo;
    mean: tf.TensorInfo;
    variance: tf.TensorInfo;
    count?: tf.TensorInfo;
  };
  attrs: RunningStatsAttrs;
  backend: BackendWasm;
}): tf.TensorInfo[] {
  const channels = inputs.mean.shape.reduce((a, b) => a * b, 1);
  const outMean = backend.makeOutput([...inputs.runningMean.shape], 'float32');
  const outVar = backend.makeOutput([...inputs.runningVar.shape], 'float32');
  // Views after the last allocation (makeOutput may grow the heap).
  const [oldMean, oldVar, mean, variance, newMean, newVar] = [
    inputs.runningMean,
    inputs.runningVar,
    inputs.mean,
    inputs.variance,
    outMean,
    outVar,
  ].map((t) => heapView(backend, t)) as Float32Array[] as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  // The scalars as the ops saw them: float32 tensors, and 1 − m computed in float32.
  const m = fround(attrs.momentum);
  const keep = fround(1 - m);
  const unbiasing = fround(attrs.unbiasing);
  for (let c = 0; c < channels; c++) {
    newMean[c] = fround(fround(oldMean[c]! * keep) + fround(mean[c]! * m));
    const unbiased = fround(variance[c]! * unbiasing);
    newVar[c] = fround(fround(oldVar[c]! * keep) + fround(unbiased * m));
  }
  if (inputs.count === undefined) return [outMean, outVar];
  const { count } = inputs;
  const outCount = backend.makeOutput([...count.shape], count.dtype);
  const next = backend.typedArrayFromHeap(outCount);
  const old = backend.typedArrayFromHeap(count);
  // Stored in the count's own type: rounded to float32 as the Add op rounds it, int32 exactly.
  next[0] = old[0]! + 1;
  return [outMean, outVar, outCount];
}
