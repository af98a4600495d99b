import * as tf from '@tensorflow/tfjs';
import type { Loss } from '../../api/training.js';
import type { CompiledModel } from '../model/CompiledModel.js';
import type { PendingUpdate } from '../model/LayerBuilder.js';
import { batchLoss, correctCount, type OutputKind } from './loss.js';
import type { TorchOptimizer } from './TorchOptimizer.js';

export interface StepResult {
  readonly loss: number;
  readonly correct: number;
  /** L2 norm of each node's gradient, when asked for. */
  readonly gradientNorms?: Record<string, number>;
}

export interface StepSetup {
  readonly model: CompiledModel;
  readonly optimizer: TorchOptimizer;
  readonly variables: readonly tf.Variable[];
  readonly loss: Loss;
  readonly kind: OutputKind;
  readonly nextSeed: () => number;
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
  const updates: PendingUpdate[] = [];
  let correct: tf.Scalar | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const out = s.model.apply(x, { training: true, nextSeed: s.nextSeed, updates }) as tf.Tensor2D;
    for (const u of updates) tf.keep(u.value);
    correct = tf.keep(correctCount(out, labels));
    return batchLoss(out, labels, s.loss, s.kind);
  }, s.variables as tf.Variable[]);
  const ordered = s.variables.map((v) => grads[v.name] as tf.Tensor);
  let gradientNorms: Record<string, number> | undefined;
  if (withNorms) {
    const squares = new Map<string, tf.Tensor>();
    tf.tidy(() => {
      s.model.weights
        .filter((w) => w.trainable)
        .forEach((w, i) => {
          const sq = tf.sum(tf.square(ordered[i]!));
          const prev = squares.get(w.node);
          squares.set(w.node, tf.keep(prev ? tf.add(prev, sq) : sq));
          prev?.dispose();
        });
    });
    gradientNorms = {};
    for (const [node, sq] of squares) {
      gradientNorms[node] = Math.sqrt(sq.dataSync()[0] ?? 0);
      sq.dispose();
    }
  }
  const [loss, hits] = tf.tidy(() => tf.stack([value, correct as unknown as tf.Scalar]).dataSync());
  if (Number.isFinite(loss)) {
    s.optimizer.step(ordered, lr);
    for (const u of updates) s.model.weight(u.weight)?.variable.assign(u.value);
  }
  tf.dispose([value, correct as unknown as tf.Scalar, ...ordered, ...updates.map((u) => u.value)]);
  return { loss: loss ?? NaN, correct: hits ?? 0, ...(gradientNorms && { gradientNorms }) };
}
