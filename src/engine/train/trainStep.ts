import tf from '../tfjs.cjs';
import type { Loss } from '../../api/training.js';
import type { CompiledModel } from '../model/CompiledModel.js';
import type { PendingUpdate } from '../model/LayerBuilder.js';
import { reserveWasmHeap, trainingHeapBytes } from '../wasm/heapReserve.js';
import { lossAndCorrect, type OutputKind } from './loss.js';
import type { StepOptimizer } from './StepOptimizer.js';

export interface StepResult {
  readonly loss: number;
  readonly correct: number;
  /** L2 norm of each node's gradient, when asked for. */
  readonly gradientNorms?: Record<string, number>;
}

/** What computing a batch's gradients needs. */
export interface GradientSetup {
  readonly model: CompiledModel;
  readonly variables: readonly tf.Variable[];
  readonly loss: Loss;
  readonly kind: OutputKind;
  readonly nextSeed: () => number;
}

export interface StepSetup extends GradientSetup {
  readonly optimizer: StepOptimizer;
}

/** A batch's forward and backward pass; every tensor here belongs to the caller. */
export interface BatchGradients {
  readonly value: tf.Scalar;
  readonly correct: tf.Scalar;
  /** Aligned with the setup's variables. */
  readonly grads: tf.Tensor[];
  /** BatchNorm's running-statistics updates, to assign after the optimizer step. */
  readonly updates: PendingUpdate[];
}

/**
 * Forward in training mode, then the gradients of the mean loss; with `runningStatistics` false
 * no BatchNorm running-statistics updates are made (`updates` is empty).
 */
export function computeGradients(
  s: GradientSetup,
  x: tf.Tensor,
  labels: tf.Tensor1D,
  runningStatistics = true,
): BatchGradients {
  // The first step on wasm would otherwise grow the heap a little at a time (heapReserve.ts).
  reserveWasmHeap(trainingHeapBytes(s.model.activationBytesPerSample, x.shape[0] ?? 1));
  const updates: PendingUpdate[] = [];
  let correct: tf.Scalar | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const ctx = { training: true, nextSeed: s.nextSeed, updates, runningStatistics };
    const out = s.model.apply(x, ctx) as tf.Tensor2D;
    for (const u of updates) tf.keep(u.value);
    const batch = lossAndCorrect(out, labels, s.loss, s.kind);
    correct = tf.keep(batch.correct);
    return batch.loss;
  }, s.variables as tf.Variable[]);
  const ordered = s.variables.map((v) => grads[v.name] as tf.Tensor);
  return { value, correct: correct as unknown as tf.Scalar, grads: ordered, updates };
}

/** Releases every tensor of a BatchGradients. */
export function disposeGradients(g: BatchGradients): void {
  tf.dispose([g.value, g.correct, ...g.grads, ...g.updates.map((u) => u.value)]);
}

/** Assigns BatchNorm's running-statistics updates (after the step, as PyTorch's forward does). */
export function applyUpdates(model: CompiledModel, updates: readonly PendingUpdate[]): void {
  for (const u of updates) model.weight(u.weight)?.variable.assign(u.value);
}

/**
 * One training step: forward in training mode, gradients of the mean loss, the optimizer update,
 * then BatchNorm's running statistics. Every intermediate tensor is released; the caller
 * disposes `x` and `labels`.
 */
export function trainStep(
  s: StepSetup,
  x: tf.Tensor,
  labels: tf.Tensor1D,
  lr: number,
  withNorms: boolean,
): StepResult {
  const g = computeGradients(s, x, labels);
  let gradientNorms: Record<string, number> | undefined;
  if (withNorms) {
    const { nodes, squares } = gradientSquares(s.model, g.grads);
    gradientNorms = normsFrom(nodes, squares.dataSync());
    squares.dispose();
  }
  const [loss, hits] = tf.tidy(() => tf.stack([g.value, g.correct]).dataSync());
  if (Number.isFinite(loss)) {
    s.optimizer.step(g.grads, lr);
    applyUpdates(s.model, g.updates);
  }
  disposeGradients(g);
  return { loss: loss ?? NaN, correct: hits ?? 0, ...(gradientNorms && { gradientNorms }) };
}

/** The squared L2 norm of each node's gradient (all its trainable tensors), as one tensor. */
export function gradientSquares(
  model: CompiledModel,
  grads: readonly tf.Tensor[],
): { nodes: string[]; squares: tf.Tensor1D } {
  const byNode = new Map<string, tf.Scalar[]>();
  return tf.tidy(() => {
    model.weights
      .filter((w) => w.trainable)
      .forEach((w, i) => {
        const list = byNode.get(w.node) ?? [];
        list.push(tf.sum(tf.square(grads[i]!)));
        byNode.set(w.node, list);
      });
    const nodes = [...byNode.keys()];
    const squares = tf.stack(nodes.map((n) => tf.addN(byNode.get(n)!))) as tf.Tensor1D;
    return { nodes, squares };
  });
}

/** `{ node: norm }` from gradientSquares' nodes and values. */
export function normsFrom(
  nodes: readonly string[],
  squares: ArrayLike<number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  nodes.forEach((node, i) => {
    out[node] = Math.sqrt(squares[i] ?? 0);
  });
  return out;
}
