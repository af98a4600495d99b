// One copy of a model that computes gradients for part of a batch and applies averaged
// gradients: the unit of DataParallelTrainer, identical in the main thread and in its worker.
import * as tf from '@tensorflow/tfjs';
import type { Loss, Optimizer } from '../../api/training.js';
import type { GraphDocument } from '../../core/graph/document.js';
import { CompiledModel } from '../model/CompiledModel.js';
import { ourShape } from '../model/layout.js';
import type { PendingUpdate } from '../model/LayerBuilder.js';
import { batchLoss, outputKind } from '../train/loss.js';
import { TorchOptimizer } from '../train/TorchOptimizer.js';
import { FlatAdam } from './FlatAdam.js';

/** Everything a replica is built from; plain data, so it can be posted to a worker. */
export interface ReplicaConfig {
  readonly graph: GraphDocument;
  /** The weight-initialization seed: equal seeds give bit-identical replicas. */
  readonly seed: number;
  readonly optimizer: Optimizer;
  readonly loss: Loss;
}

/** The gradients of a part of a batch, all variables concatenated in variable order. */
export interface PartialGradients {
  readonly grads: Float32Array;
  /** Mean loss over the part. */
  readonly loss: number;
  readonly count: number;
}

export class GradientReplica {
  readonly model: CompiledModel;
  /** Adam/AdamW run on flat arrays (one loop); other optimizers on the engine's tfjs ops. */
  private readonly optimizer: TorchOptimizer | FlatAdam;
  /** With FlatAdam: the trainable weights as one array, the master copy the optimizer updates. */
  private readonly flat: Float32Array | null;
  private readonly variables: tf.Variable[];
  private readonly sizes: number[];
  private nextSeed = 1;

  constructor(config: ReplicaConfig) {
    this.model = CompiledModel.compile(config.graph, config.seed);
    this.variables = this.model.trainableVariables();
    this.sizes = this.variables.map((v) => v.size);
    this.loss = config.loss;
    if (FlatAdam.supports(config.optimizer)) {
      this.optimizer = new FlatAdam(config.optimizer, this.parameterCount);
      this.flat = this.weights();
    } else {
      this.optimizer = new TorchOptimizer(config.optimizer, this.variables);
      this.flat = null;
    }
  }

  private readonly loss: Loss;

  /** Number of trainable parameters (the length of every gradient vector). */
  get parameterCount(): number {
    return this.sizes.reduce((a, b) => a + b, 0);
  }

  /**
   * Gradients of the mean loss over `count` samples (inputs in PyTorch's C×H×W order per
   * sample, flattened). BatchNorm running statistics of this replica are updated from its part.
   */
  gradients(x: Float32Array, labels: Int32Array, count: number): PartialGradients {
    const updates: PendingUpdate[] = [];
    const kind = outputKind(this.model.outputType);
    const grads = new Float32Array(this.parameterCount);
    const loss = tf.tidy(() => {
      const input = toModelLayout(x, this.model.inputShape, count);
      const y = tf.tensor1d(labels.subarray(0, count), 'int32');
      const { value, grads: byName } = tf.variableGrads(() => {
        const out = this.model.apply(input, {
          training: true,
          nextSeed: () => this.nextSeed++,
          updates,
        });
        for (const u of updates) tf.keep(u.value);
        return batchLoss(out as tf.Tensor2D, y, this.loss, kind);
      }, this.variables);
      let offset = 0;
      for (const v of this.variables) {
        grads.set(byName[v.name]!.dataSync() as Float32Array, offset);
        offset += v.size;
      }
      return value.dataSync()[0] ?? NaN;
    });
    for (const u of updates) {
      this.model.weight(u.weight)?.variable.assign(u.value);
      u.value.dispose();
    }
    return { grads, loss, count };
  }

  /** One optimizer step with these (averaged) gradients. */
  apply(grads: Float32Array, lr: number): void {
    if (this.optimizer instanceof FlatAdam) {
      const flat = this.flat!;
      this.optimizer.step(flat, grads, lr);
      let offset = 0;
      this.variables.forEach((v, i) => {
        const t = tf.tensor(flat.subarray(offset, offset + this.sizes[i]!), v.shape, 'float32');
        v.assign(t);
        t.dispose();
        offset += this.sizes[i]!;
      });
      return;
    }
    let offset = 0;
    const tensors = this.variables.map((v, i) => {
      const t = tf.tensor(grads.subarray(offset, offset + this.sizes[i]!), v.shape, 'float32');
      offset += this.sizes[i]!;
      return t;
    });
    this.optimizer.step(tensors, lr);
    tf.dispose(tensors);
  }

  /** All trainable weights concatenated, to check that replicas stay identical. */
  weights(): Float32Array {
    const out = new Float32Array(this.parameterCount);
    let offset = 0;
    for (const v of this.variables) {
      out.set(v.dataSync() as Float32Array, offset);
      offset += v.size;
    }
    return out;
  }

  dispose(): void {
    if (this.optimizer instanceof TorchOptimizer) this.optimizer.dispose();
    this.model.dispose();
  }
}

/** Samples in PyTorch's per-sample order (C×H×W) as a tensor in the model's layout (NHWC). */
function toModelLayout(x: Float32Array, shape: readonly number[], count: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const flat = tf.tensor(x.subarray(0, count * size), [count, ...shape], 'float32');
  return shape.length === 3 && shape[0] !== 1
    ? tf.transpose(flat, [0, 2, 3, 1])
    : flat.reshape(ourShape(shape, count));
}
