import type * as tf from '@tensorflow/tfjs';
import type { BackendName, Optimizer } from '../../api/training.js';
import { FlatAdam } from '../wasm/FlatAdam.js';
import { FlatAdamOptimizer } from './FlatAdamOptimizer.js';
import { GpuAdamOptimizer } from '../webgpu/GpuAdamOptimizer.js';
import { TorchOptimizer } from './TorchOptimizer.js';

/**
 * What the training loop needs from an optimizer: a step from gradient tensors or from one flat
 * gradient array (variable order, as the data-parallel path sums them), and its state for the
 * checkpoint's optimizer.bin, keyed `variableIndex/slot` with torch.optim's slot names.
 */
export interface StepOptimizer {
  /** Completed steps (PyTorch's `step` state). */
  readonly steps: number;
  step(grads: readonly tf.Tensor[], lr: number): void;
  stepFlat(grads: Float32Array, lr: number): void;
  /**
   * Where an optimizer can: the stepFlat of the gradient f32(wa·a + wb·b) — the size-weighted
   * mean of a data-parallel step's two halves — without forming that array first.
   */
  stepMean?(a: Float32Array, wa: number, b: Float32Array, wb: number, lr: number): void;
  /** The trainable weights, flat in variable order (a new array). */
  weights(): Float32Array;
  /** The state as new tensors, which the caller disposes. */
  state(): Map<string, tf.Tensor>;
  /** Restores state saved by `state()` (takes ownership of the tensors). */
  load(state: ReadonlyMap<string, tf.Tensor>, steps: number): void;
  dispose(): void;
}

/**
 * Adam and AdamW run as one loop over flat arrays (FlatAdam: ~130 fewer kernel launches per
 * LeNet-5 step); the other optimizers as tfjs ops. On `webgpu` the weights never leave the GPU
 * (no synchronous read exists there): Adam and AdamW run as one WGSL kernel per tensor
 * (GpuAdamOptimizer; NNB_GPU_ADAM=ops selects the tfjs ops, for benchmarks), the others as tfjs
 * ops. All keep the same checkpoint format, so a run saved by one resumes with another.
 */
export function createOptimizer(
  config: Optimizer,
  variables: readonly tf.Variable[],
  backend: BackendName | null = null,
): StepOptimizer {
  if (backend === 'webgpu') {
    return GpuAdamOptimizer.supports(config) && process.env.NNB_GPU_ADAM !== 'ops'
      ? new GpuAdamOptimizer(config, variables)
      : new TorchOptimizer(config, variables);
  }
  return FlatAdam.supports(config)
    ? new FlatAdamOptimizer(config, variables)
    : new TorchOptimizer(config, variables);
}
