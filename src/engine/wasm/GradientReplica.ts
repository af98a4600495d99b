// A copy of a model that computes the gradients of part of a batch: the worker side of the
// data-parallel training path (src/engine/train/DataParallelTrainer.ts). It holds no optimizer:
// the main thread steps and sends the new weights back.
import tf from '../tfjs.cjs';
import type { Loss } from '../../api/training.js';
import type { GraphDocument } from '../../core/graph/document.js';
import { CompiledModel } from '../model/CompiledModel.js';
import { ourShape } from '../model/layout.js';
import { Random } from '../random.js';
import type { BatchData } from '../data/makeBatch.js';
import { evaluationTensors, type BatchEvaluation } from '../train/evaluate.js';
import { outputKind } from '../train/loss.js';
import { computeGradients, disposeGradients, type GradientSetup } from '../train/trainStep.js';

/** Everything a replica is built from; plain data, so it can be posted to a worker. */
export interface ReplicaConfig {
  readonly graph: GraphDocument;
  readonly seed: number;
  readonly loss: Loss;
  /** Every weight of the model (CompiledModel.weights order), to start identical to it. */
  readonly weights?: readonly Float32Array[];
}

/** The gradients of a part of a batch, all trainable variables concatenated in order. */
export interface PartialGradients {
  readonly grads: Float32Array;
  /** Mean loss over the part. */
  readonly loss: number;
  /** Samples of the part classified correctly. */
  readonly correct: number;
  readonly count: number;
}

export class GradientReplica {
  readonly model: CompiledModel;
  private readonly variables: tf.Variable[];
  private readonly loss: Loss;

  constructor(config: ReplicaConfig) {
    this.model = CompiledModel.compile(config.graph, config.seed);
    this.variables = this.model.trainableVariables();
    this.loss = config.loss;
    config.weights?.forEach((data, i) => {
      const w = this.model.weights[i];
      if (w === undefined || w.variable.size !== data.length)
        throw new Error(`weight ${i} does not match the replica's graph`);
      assignFlat(w.variable, data);
    });
  }

  /** Number of trainable parameters (the length of every gradient vector). */
  get parameterCount(): number {
    return this.variables.reduce((n, v) => n + v.size, 0);
  }

  /** Sets the trainable weights from one array in variable order. */
  setTrainable(flat: Float32Array): void {
    let offset = 0;
    for (const v of this.variables) {
      assignFlat(v, flat.subarray(offset, offset + v.size));
      offset += v.size;
    }
  }

  /**
   * Gradients of the mean loss over `count` samples, inputs in the model's layout (NHWC), with
   * dropout masks seeded from `seed`. No optimizer step and no BatchNorm update here.
   */
  gradients(x: Float32Array, labels: Int32Array, count: number, seed: number): PartialGradients {
    const random = new Random(seed);
    const setup: GradientSetup = {
      model: this.model,
      variables: this.variables,
      loss: this.loss,
      kind: outputKind(this.model.outputType),
      nextSeed: () => random.seed(),
    };
    const input = tf.tensor(x, ourShape(this.model.inputShape, count), 'float32');
    const y = tf.tensor1d(labels, 'int32');
    // This replica's running statistics would be discarded (DDP keeps rank 0's): none are made.
    const g = computeGradients(setup, input, y, false);
    const grads = concatData(g.grads);
    const [loss, correct] = tf.tidy(() => tf.stack([g.value, g.correct]).dataSync());
    disposeGradients(g);
    tf.dispose([input, y]);
    return { grads, loss: loss ?? NaN, correct: correct ?? 0, count };
  }

  /** Sets every non-trainable weight (buffers, frozen nodes) from one array in model order. */
  setBuffers(flat: Float32Array): void {
    let offset = 0;
    for (const w of this.model.weights) {
      if (w.trainable) continue;
      assignFlat(w.variable, flat.subarray(offset, offset + w.variable.size));
      offset += w.variable.size;
    }
  }

  /** Each batch's mean loss and predicted classes in evaluation mode. */
  evaluate(batches: readonly BatchData[]): BatchEvaluation[] {
    const kind = outputKind(this.model.outputType);
    return batches.map((batch) => {
      const [loss, predicted] = evaluationTensors(this.model, batch, this.loss, kind);
      const result = {
        loss: loss.dataSync()[0]!,
        predicted: Int32Array.from(predicted.dataSync()),
      };
      tf.dispose([loss, predicted]);
      return result;
    });
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** The values of `tensors` concatenated (gradients or weights, in variable order). */
export function concatData(tensors: readonly tf.Tensor[]): Float32Array {
  const out = new Float32Array(tensors.reduce((n, t) => n + t.size, 0));
  let offset = 0;
  for (const t of tensors) {
    out.set(t.dataSync() as Float32Array, offset);
    offset += t.size;
  }
  return out;
}

function assignFlat(variable: tf.Variable, data: Float32Array): void {
  const t = tf.tensor(data, variable.shape, 'float32');
  variable.assign(t);
  t.dispose();
}
