import type * as tf from '@tensorflow/tfjs';
import type { Shape } from '../../core/shape.js';

/**
 * How a weight is stored here versus in PyTorch's state dict, so checkpoints and the PyTorch
 * comparison can convert between the two:
 * - `conv`: ours [kh, kw, in/groups, out] (tfjs conv2d filter), torch [out, in/groups, kh, kw];
 *   a transposed conv: ours [kh, kw, out/groups, in], torch [in, out/groups, kh, kw] — the same
 *   axis permutation.
 * - `linear`: ours [in, out] (x·W), torch [out, in].
 * - `vector`: identical (biases, BatchNorm weights and running statistics).
 */
export type TorchLayout = 'conv' | 'linear' | 'vector';

export interface WeightSpec {
  /** PyTorch's name for the tensor: `weight`, `bias`, `running_mean`, `running_var`. */
  readonly name: string;
  /** Our (tfjs) shape. */
  readonly shape: readonly number[];
  readonly layout: TorchLayout;
  /** PyTorch's default initialization: U(−bound, bound), or a constant. */
  readonly init: { readonly uniform: number } | { readonly constant: number };
  /** Running statistics: saved, never trained. */
  readonly buffer?: boolean;
}

/** A running-statistics update computed by a training forward pass, applied after the step. */
export interface PendingUpdate {
  readonly weight: string;
  readonly value: tf.Tensor;
}

/** What a layer sees while it runs. */
export interface ApplyContext {
  readonly training: boolean;
  /** A fresh seed for each random op (dropout masks), from the run's seeded generator. */
  readonly nextSeed: () => number;
  /**
   * Collects BatchNorm running-statistics updates (training only). Their values are kept
   * (tf.keep), so they survive the caller's tidy: the caller assigns and disposes them.
   */
  readonly updates: PendingUpdate[];
  /**
   * false: training-mode BatchNorm skips its running-statistics updates — a data-parallel
   * replica whose updates would be discarded (PyTorch DDP keeps rank 0's: GradientReplica).
   */
  readonly runningStatistics?: boolean;
  /**
   * Set for a BatchNorm, Add, Conv2d or Linear whose only reader is a ReLU (training): the layer
   * returns its value after that ReLU, and the ReLU step is skipped (CompiledModel.apply).
   */
  readonly fuseRelu?: boolean;
}

/** The compiled form of one primitive node. */
export interface BuiltLayer {
  readonly weights: readonly WeightSpec[];
  /**
   * Runs the layer. Feature maps (C×H×W in PyTorch) are NHWC tensors here; flat and sequence
   * tensors keep PyTorch's axis order.
   */
  readonly apply: (
    inputs: readonly tf.Tensor[],
    weights: Readonly<Record<string, tf.Tensor>>,
    ctx: ApplyContext,
  ) => tf.Tensor;
}

/** What a builder gets: the node's resolved params and its shapes (PyTorch order, no batch). */
export interface BuildArgs<P = Record<string, unknown>> {
  readonly id: string;
  readonly params: P;
  readonly inputShapes: readonly Shape[];
  readonly outputShape: Shape;
}

export type LayerBuilder = (args: BuildArgs<never>) => BuiltLayer;
