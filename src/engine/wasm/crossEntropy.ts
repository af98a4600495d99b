// nn.CrossEntropyLoss on logits (mean over the batch) and the number of correct predictions as two
// WASM-backend kernels, forward and gradient, where tfjs ran ~20 kernels forward (one-hot,
// LogSoftmax's max, subtract, exp, sum, log, the product with the one-hot, sum, mean, negation;
// argMax, equal, cast and sum for the count) and ~15 backward — each a few hundred floats behind
// ~20 µs of the engine's bookkeeping, ~a fifth of a LeNet-5 step's kernel calls. Computed per
// sample in float64 (log-sum-exp with the row's maximum subtracted), rounded once: the loss is
// the float32 nearest the exact one, where the ops rounded at each step.
//
//   loss = Σᵢ (log Σₖ exp(xᵢₖ − mᵢ) + mᵢ − xᵢ,yᵢ) / N     (mᵢ = maxₖ xᵢₖ)
//   ∂loss/∂xᵢₖ = (softmax(xᵢ)ₖ − [k = yᵢ]) / N
//
// A label outside 0…K−1 has an all-zero one-hot row in tfjs: its sample adds nothing to the loss
// or the gradient; the same here. One class (tfjs' oneHot refuses depth 1) gives loss 0 and
// gradient 0, as PyTorch does.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView } from './wasmKernelContext.js';

/** Kernel names (registered for 'wasm' only). */
export const CROSS_ENTROPY = 'NnbCrossEntropy';
export const CROSS_ENTROPY_GRAD = 'NnbCrossEntropyGrad';

/** An int32 tensor's values on the wasm heap (a view: read it before the next allocation). */
function ints(backend: BackendWasm, t: tf.TensorInfo): Int32Array {
  return backend.typedArrayFromHeap(t) as Int32Array;
}

/** Row i's maximum and log Σ exp(x − max), in float64. */
function logSumExp(x: Float32Array, row: number, classes: number): { max: number; lse: number } {
  let max = -Infinity;
  for (let k = 0; k < classes; k++) max = Math.max(max, x[row + k]!);
  let sum = 0;
  for (let k = 0; k < classes; k++) sum += Math.exp(x[row + k]! - max);
  return { max, lse: Math.log(sum) };
}

/** [mean loss, correct count]: scalars, float32. */
export function crossEntropy({
  inputs,
  backend,
}: {
  inputs: { logits: tf.TensorInfo; labels: tf.TensorInfo };
  backend: BackendWasm;
}): tf.TensorInfo[] {
  const [n, classes] = inputs.logits.shape as [number, number];
  const loss = backend.makeOutput([], 'float32');
  const correct = backend.makeOutput([], 'float32');
  // Views after the last allocation (makeOutput may grow the heap).
  const x = heapView(backend, inputs.logits);
  const y = ints(backend, inputs.labels);
  let total = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const row = i * classes;
    const label = y[i]!;
    const { max, lse } = logSumExp(x, row, classes);
    if (label >= 0 && label < classes) total += lse + max - x[row + label]!;
    // argMax as tfjs takes it: the first of equal maxima.
    let best = 0;
    for (let k = 1; k < classes; k++) if (x[row + k]! > x[row + best]!) best = k;
    if (best === label) hits++;
  }
  heapView(backend, loss)[0] = total / n;
  heapView(backend, correct)[0] = hits;
  return [loss, correct];
}

/** ∂(dy · mean loss)/∂logits. */
export function crossEntropyGrad({
  inputs,
  backend,
}: {
  inputs: { logits: tf.TensorInfo; labels: tf.TensorInfo; dy: tf.TensorInfo };
  backend: BackendWasm;
}): tf.TensorInfo {
  const [n, classes] = inputs.logits.shape as [number, number];
  const dx = backend.makeOutput([n, classes], 'float32');
  const x = heapView(backend, inputs.logits);
  const y = ints(backend, inputs.labels);
  const scale = heapView(backend, inputs.dy)[0]! / n;
  const out = heapView(backend, dx);
  for (let i = 0; i < n; i++) {
    const row = i * classes;
    const label = y[i]!;
    if (!(label >= 0 && label < classes)) {
      out.fill(0, row, row + classes);
      continue;
    }
    const { max, lse } = logSumExp(x, row, classes);
    for (let k = 0; k < classes; k++) {
      const p = Math.exp(x[row + k]! - max - lse);
      out[row + k] = (p - (k === label ? 1 : 0)) * scale;
    }
  }
  return dx;
}
