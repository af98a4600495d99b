import tf from '../tfjs.cjs';
import type { Shape } from '../../core/shape.js';
import { Random } from '../random.js';
import { addReluFork } from './addRelu.js';
import { builderOf } from './builders.js';
import { CompileError, planGraph, type CompilePlan } from './compilePlan.js';
import type { GraphDocument } from '../../core/graph/document.js';
import type { ApplyContext, BuiltLayer, PendingUpdate, WeightSpec } from './LayerBuilder.js';

/** One tensor of the model: a parameter or a BatchNorm buffer. */
export interface ModelWeight {
  /** `conv1.weight`, `block1/bn1.running_mean`: node id + PyTorch's tensor name. */
  readonly key: string;
  readonly node: string;
  readonly spec: WeightSpec;
  readonly variable: tf.Variable;
  /** A parameter the optimizer updates (not a buffer, not in a frozen node). */
  readonly trainable: boolean;
}

/** One primitive node as compiled: its layer, its weights and the nodes it reads. */
export interface Step {
  readonly id: string;
  readonly type: string;
  readonly sources: readonly string[];
  readonly layer: BuiltLayer;
  readonly weights: Readonly<Record<string, tf.Variable>>;
}

/**
 * A graph compiled to tfjs ops over our own variables: a forward function that computes exactly
 * what PyTorch computes for the same graph and weights (docs/engine.md explains the choices).
 */
export class CompiledModel {
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  /** Layer type of the node producing the output (`Linear`, `LogSoftmax`, …): what it holds. */
  readonly outputType: string;
  readonly weights: readonly ModelWeight[];
  /** Bytes of every layer's output for one sample (the analysis' forward-pass size). */
  readonly activationBytesPerSample: number;
  private readonly steps: readonly Step[];
  private readonly inputId: string;
  private readonly outputId: string;
  /** Indices of steps whose ReLU (the next step) runs inside them in training (RELU_FUSING). */
  private readonly reluFused: ReadonlySet<number>;
  private readonly reluForked: ReadonlySet<number>;

  private constructor(plan: CompilePlan, seed: number) {
    const random = new Random(seed);
    const weights: ModelWeight[] = [];
    const steps: Step[] = [];
    for (const step of plan.steps) {
      const builder = builderOf(step.type);
      if (builder === undefined) {
        throw new CompileError(`Node "${step.id}": the engine cannot run ${step.type} layers yet.`);
      }
      const layer = builder({
        id: step.id,
        params: step.params as never,
        inputShapes: step.inputShapes,
        outputShape: step.outputShape,
      });
      const variables: Record<string, tf.Variable> = {};
      for (const spec of layer.weights) {
        const trainable = step.trainable && spec.buffer !== true;
        const init = initialValue(spec, random);
        const variable = tf.variable(init, trainable);
        init.dispose(); // the variable holds its own reference to the data
        variables[spec.name] = variable;
        weights.push({ key: `${step.id}.${spec.name}`, node: step.id, spec, variable, trainable });
      }
      steps.push({
        id: step.id,
        type: step.type,
        sources: step.sources,
        layer,
        weights: variables,
      });
    }
    this.steps = steps;
    this.weights = weights;
    this.inputShape = plan.input.shape;
    this.outputShape = plan.outputShape;
    this.inputId = plan.input.id;
    this.outputId = plan.output;
    this.outputType = plan.steps.find((s) => s.id === plan.output)?.type ?? 'Input';
    this.activationBytesPerSample = plan.analysis.totals.activationBytes;
    this.reluFused = fusableReluProducers(steps, this.outputId);
    this.reluForked = forkedReluJoins(steps, this.outputId, this.reluFused);
  }

  /** Compiles a graph; throws CompileError (message names node and fix) for graphs with errors. */
  static compile(graph: GraphDocument, seed = 0): CompiledModel {
    return new CompiledModel(planGraph(graph), seed);
  }

  /** Compiles a plan made by `planGraph` (its shapes known before any backend is chosen). */
  static fromPlan(plan: CompilePlan, seed = 0): CompiledModel {
    return new CompiledModel(plan, seed);
  }

  /**
   * The forward pass on an input batch in our layout (NHWC for C×H×W inputs). Call inside
   * tf.tidy; in training mode BatchNorm adds its running-statistics updates to `ctx.updates`.
   */
  apply(x: tf.Tensor, ctx: ApplyContext): tf.Tensor {
    const values = new Map<string, tf.Tensor>([[this.inputId, x]]);
    /** Nodes whose readers each take their own tensor of the value, in step order. */
    const forked = new Map<string, tf.Tensor[]>();
    for (let i = 0; i < this.steps.length; i++) {
      const step = this.steps[i]!;
      const inputs = step.sources.map((s) => {
        const v = forked.get(s)?.shift() ?? values.get(s);
        if (v === undefined)
          throw new CompileError(`Node "${step.id}": input "${s}" was not computed.`);
        return v;
      });
      // A residual Add whose ReLU has two readers, in training: each reader gets a tensor of its
      // own, so that the backward pass adds their gradients inside the ReLU mask's pass.
      if (ctx.training && this.reluForked.has(i)) {
        const pair = addReluFork(inputs[0]!, inputs[1]!);
        if (pair !== null) {
          const relu = this.steps[++i]!.id;
          values.set(step.id, pair[0]);
          values.set(relu, pair[0]);
          forked.set(relu, [...pair]);
          continue;
        }
      }
      const local: PendingUpdate[] = [];
      // A BatchNorm, Add, Conv2d or Linear read only by the ReLU after it computes that ReLU too
      // (the fused kernels then need no pass of its own); both nodes get the value.
      const fuseRelu = this.reluFused.has(i);
      const value = step.layer.apply(inputs, step.weights, {
        ...ctx,
        updates: local,
        ...(fuseRelu && { fuseRelu }),
      });
      values.set(step.id, value);
      for (const u of local) ctx.updates.push({ weight: `${step.id}.${u.weight}`, value: u.value });
      if (fuseRelu) values.set(this.steps[++i]!.id, value);
    }
    const out = values.get(this.outputId);
    if (out === undefined)
      throw new CompileError(`The output "${this.outputId}" was not computed.`);
    return out;
  }

  /** Evaluation-mode forward pass (BatchNorm uses running statistics, Dropout is off). */
  predict(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.apply(x, { training: false, nextSeed: () => 0, updates: [] }));
  }

  /**
   * Evaluation-mode values of some nodes (primitive step ids or the Input's) for an input batch,
   * running the steps only up to the last one needed: the feature-map view. The caller disposes
   * the returned tensors.
   */
  outputsOf(x: tf.Tensor, ids: readonly string[]): tf.Tensor[] {
    for (const id of ids) {
      if (id !== this.inputId && !this.steps.some((s) => s.id === id))
        throw new CompileError(`The model has no node "${id}".`);
    }
    return tf.tidy(() => {
      const values = new Map<string, tf.Tensor>([[this.inputId, x]]);
      const ctx: ApplyContext = { training: false, nextSeed: () => 0, updates: [] };
      for (const step of this.steps) {
        if (ids.every((id) => values.has(id))) break;
        const inputs = step.sources.map((s) => values.get(s) as tf.Tensor);
        values.set(step.id, step.layer.apply(inputs, step.weights, ctx));
      }
      return ids.map((id) => values.get(id) as tf.Tensor);
    });
  }

  /** The primitive steps in run order (the profiler times each one alone). */
  get layers(): readonly Step[] {
    return this.steps;
  }

  trainableVariables(): tf.Variable[] {
    return this.weights.filter((w) => w.trainable).map((w) => w.variable);
  }

  /** Elements of the trainable parameters (equals analyze()'s trainableParams). */
  trainableParamCount(): number {
    return this.weights.filter((w) => w.trainable).reduce((n, w) => n + w.variable.size, 0);
  }

  weight(key: string): ModelWeight | undefined {
    return this.weights.find((w) => w.key === key);
  }

  dispose(): void {
    for (const w of this.weights) w.variable.dispose();
  }
}

/** PyTorch's default initial value of a weight, drawn from the seeded generator. */
function initialValue(spec: WeightSpec, random: Random): tf.Tensor {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  if ('uniform' in spec.init) {
    const b = spec.init.uniform;
    for (let i = 0; i < size; i++) data[i] = (random.next() * 2 - 1) * b;
  } else {
    data.fill(spec.init.constant);
  }
  return tf.tensor(data, [...spec.shape], 'float32');
}

/**
 * Layers whose builders compute the ReLU after them when `ctx.fuseRelu` is set: BatchNorm and the
 * residual Add in their fused kernels, Conv2d and Linear with their bias (model/biasRelu.ts).
 */
const RELU_FUSING: ReadonlySet<string> = new Set([
  'BatchNorm2d',
  'BatchNorm1d',
  'Add',
  'Conv2d',
  'Linear',
]);

/**
 * The fused two-input Adds (`fused`: fusableReluProducers) whose ReLU is read exactly twice and is
 * not the model's output: a residual block's input, read by its first conv and its shortcut.
 */
function forkedReluJoins(
  steps: readonly Step[],
  outputId: string,
  fused: ReadonlySet<number>,
): Set<number> {
  const readers = new Map<string, number>();
  for (const s of steps) for (const src of s.sources) readers.set(src, (readers.get(src) ?? 0) + 1);
  const forked = new Set<number>();
  for (const i of fused) {
    const step = steps[i]!;
    const relu = steps[i + 1]!;
    if (
      step.type === 'Add' &&
      step.sources.length === 2 &&
      readers.get(relu.id) === 2 &&
      relu.id !== outputId
    ) {
      forked.add(i);
    }
  }
  return forked;
}

/**
 * The BatchNorm, Add, Conv2d and Linear steps followed by a ReLU that reads only them, where
 * nothing else reads their own output (and it is not the model's output): the ReLU runs inside them.
 */
function fusableReluProducers(steps: readonly Step[], outputId: string): Set<number> {
  const readers = new Map<string, number>();
  for (const s of steps) for (const src of s.sources) readers.set(src, (readers.get(src) ?? 0) + 1);
  const fused = new Set<number>();
  steps.forEach((s, i) => {
    const next = steps[i + 1];
    if (
      RELU_FUSING.has(s.type) &&
      next?.type === 'ReLU' &&
      next.sources.length === 1 &&
      next.sources[0] === s.id &&
      readers.get(s.id) === 1 &&
      s.id !== outputId
    ) {
      fused.add(i);
    }
  });
  return fused;
}
