// Keras activations, as layers of their own (Activation, ReLU, LeakyReLU, ELU, Softmax) or as the
// `activation` setting of Conv2D and Dense. They act elementwise (softmax over a flat vector is
// unchanged by reordering it too), so a flat tensor in Keras' element order keeps that order.
import { Refusal, type Params } from '../onnx/GraphBuilder.js';
import type { KerasImporter, KerasLayerContext, KerasTensor } from './kerasContext.js';

/** An activation function's name in Keras / TensorFlow.js → our layer, or why it has none. */
const ACTIVATIONS: Readonly<Record<string, readonly [string, Params] | null>> = {
  linear: null,
  relu: ['ReLU', {}],
  relu6: ['ReLU6', {}],
  sigmoid: ['Sigmoid', {}],
  tanh: ['Tanh', {}],
  softmax: ['Softmax', {}],
  elu: ['ELU', {}],
  swish: ['SiLU', {}],
  silu: ['SiLU', {}],
  gelu: ['GELU', {}],
  gelu_new: ['GELU', { approximate: 'tanh' }],
};

/**
 * Adds the layer of the named activation after `x` (none for `linear`); `setting`: it is a
 * Conv2D's or Dense's `activation`, so its layer is named after theirs (`conv1_relu`).
 */
export function activate(
  ctx: KerasLayerContext,
  x: KerasTensor,
  name: string,
  setting = false,
): KerasTensor {
  if (!Object.hasOwn(ACTIVATIONS, name)) {
    throw new Refusal(`its activation "${name}" has no NN Builder layer`);
  }
  const entry = ACTIVATIONS[name];
  if (entry === null || entry === undefined) return x;
  const [type, params] = entry;
  return keepOrder(ctx.emit(type, params, [x], {}, setting ? name : undefined), x);
}

/** The `activation` of a Conv2D or Dense, applied after the layer's own output. */
export function withActivation(ctx: KerasLayerContext, out: KerasTensor): KerasTensor {
  const name = ctx.config.activation;
  return typeof name === 'string' ? activate(ctx, out, name, true) : out;
}

/** An elementwise layer's output keeps its input's Keras element order. */
export const keepOrder = (out: KerasTensor, input: KerasTensor): KerasTensor =>
  input.order === undefined ? out : { ...out, order: input.order };

/** Softmax over Keras' last axis (the channels of a map): our dim 1 in both layouts. */
function softmaxAxis(ctx: KerasLayerContext, x: KerasTensor): void {
  const axis = ctx.config.axis ?? -1;
  const rank = x.shape.length + 1;
  const last = (Array.isArray(axis) ? axis : [axis]).every((a) => a === -1 || a === rank - 1);
  if (!last)
    throw new Refusal(`softmax over axis ${JSON.stringify(axis)} is not read (the last only)`);
}

/** The importers of the activation layers, by Keras class name. */
export const ACTIVATION_IMPORTERS: Readonly<Record<string, KerasImporter>> = {
  Activation: (ctx) => activate(ctx, ctx.tensor(0), String(ctx.config.activation ?? 'linear')),
  ReLU: (ctx) => {
    const x = ctx.tensor(0);
    const { max_value: max, negative_slope: slope = 0, threshold = 0 } = ctx.config;
    if (threshold !== 0 && threshold !== null)
      throw new Refusal(`threshold ${String(threshold)} is not read`);
    if (max === 6 && (slope === 0 || slope === null))
      return keepOrder(ctx.emit('ReLU6', {}, [x]), x);
    if (max !== undefined && max !== null)
      throw new Refusal(`max_value ${String(max)} is not read (6 only)`);
    if (typeof slope === 'number' && slope !== 0) {
      return keepOrder(ctx.emit('LeakyReLU', { negative_slope: slope }, [x]), x);
    }
    return keepOrder(ctx.emit('ReLU', {}, [x]), x);
  },
  LeakyReLU: (ctx) => {
    const x = ctx.tensor(0);
    const slope = ctx.config.negative_slope ?? ctx.config.alpha ?? 0.3;
    return keepOrder(ctx.emit('LeakyReLU', { negative_slope: Number(slope) }, [x]), x);
  },
  ELU: (ctx) => {
    const x = ctx.tensor(0);
    const alpha = Number(ctx.config.alpha ?? 1);
    return keepOrder(ctx.emit('ELU', alpha === 1 ? {} : { alpha }, [x]), x);
  },
  Softmax: (ctx) => {
    const x = ctx.tensor(0);
    softmaxAxis(ctx, x);
    return keepOrder(ctx.emit('Softmax', {}, [x]), x);
  },
};
