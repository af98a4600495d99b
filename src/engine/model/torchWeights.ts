import tf from '../tfjs.cjs';
import type { CompiledModel } from './CompiledModel.js';

/** A tensor in PyTorch's layout, as plain data (for JSON, checkpoints and the PyTorch tests). */
export interface TorchTensor {
  readonly shape: number[];
  readonly data: Float32Array;
}

/** Our layout → PyTorch's (see TorchLayout): conv [kh,kw,i,o] → [o,i,kh,kw]; linear transposes. */
function toTorchPerm(rank: number, layout: string): number[] | null {
  if (layout === 'conv' && rank === 4) return [3, 2, 0, 1];
  if (layout === 'linear' && rank === 2) return [1, 0];
  return null;
}

const FROM_TORCH: Readonly<Record<string, number[]>> = { conv: [2, 3, 1, 0], linear: [1, 0] };

/**
 * Every weight and buffer in PyTorch's layout as new tensors (the caller disposes them), keyed
 * `node.tensor`: nothing is read back, so this works on every backend, webgpu included.
 */
export function torchLayoutTensors(model: CompiledModel): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const w of model.weights) {
    const perm = toTorchPerm(w.variable.rank, w.spec.layout);
    out.set(w.key, perm ? tf.transpose(w.variable, perm) : tf.clone(w.variable));
  }
  return out;
}

/**
 * Every weight and buffer in PyTorch's layout, keyed `node.tensor` (state-dict names per node),
 * read synchronously: for the CPU backends (the inspect views, the exporters).
 */
export function exportTorchWeights(model: CompiledModel): Map<string, TorchTensor> {
  const out = new Map<string, TorchTensor>();
  for (const [key, t] of torchLayoutTensors(model)) {
    out.set(key, { shape: t.shape.slice(), data: t.dataSync() as Float32Array });
    t.dispose();
  }
  return out;
}

/** Loads weights given in PyTorch's layout; names the first missing or mis-shaped tensor. */
export function importTorchWeights(
  model: Pick<CompiledModel, 'weights'>,
  weights: ReadonlyMap<string, TorchTensor>,
): void {
  for (const w of model.weights) {
    const given = weights.get(w.key);
    if (given === undefined) throw new Error(`Weights have no tensor "${w.key}".`);
    const perm = FROM_TORCH[w.spec.layout];
    tf.tidy(() => {
      let t = tf.tensor(given.data, given.shape, 'float32');
      if (perm && t.rank === perm.length) t = tf.transpose(t, perm);
      if (t.shape.join() !== w.variable.shape.join()) {
        throw new Error(
          `Tensor "${w.key}" has shape ${given.shape.join('×')}, the model needs ${w.variable.shape.join('×')} (ours).`,
        );
      }
      w.variable.assign(t);
    });
  }
}
