// Importers of the operators without windows: normalization, activations, Linear (Gemm, or
// MatMul with its Add), merges and the reshapes that flatten.
import type { ParamValue } from '../../core/graph/document.js';
import { shapeSize } from '../../core/shape.js';
import { Refusal } from './GraphBuilder.js';
import { groupedReshape, viewShape } from './channelOps.js';
import { reshapeTarget } from './foldConstants.js';
import { scalarOf, transposed2d, valuesOf, type ConstTensor } from './constTensor.js';
import type { OpContext, OpImporter, Value } from './opContext.js';

/** A float32 attribute as the decimal it was written from (0.1f reads 0.10000000149011612). */
const float32Value = (v: number): number => Number(v.toPrecision(7));

/** An operator that becomes one parameterless (or attribute-only) layer. */
export const unary =
  (type: string, params: (ctx: OpContext) => Record<string, ParamValue> = () => ({})): OpImporter =>
  (ctx) =>
    ctx.emit(type, params(ctx), [ctx.layerInput(0)]);

/** The input itself: Identity, and reshapes that change nothing. */
export const alias: OpImporter = (ctx) => ctx.layerInput(0);

export const batchNorm: OpImporter = (ctx) => {
  if (ctx.attrs.int('training_mode', 0) === 1) {
    throw new Refusal('training_mode=1 normalizes with batch statistics inside the model file');
  }
  const x = ctx.layerInput(0);
  const type = x.shape.length === 3 ? 'BatchNorm2d' : 'BatchNorm1d';
  const eps = float32Value(ctx.attrs.float('epsilon', 1e-5));
  const momentum = float32Value(1 - ctx.attrs.float('momentum', 0.9));
  const params: Record<string, ParamValue> = {};
  if (eps !== 1e-5) params.eps = eps;
  if (momentum !== 0.1) params.momentum = momentum;
  return ctx.emit(type, params, [x], {
    weight: ctx.constant(1, 'scale'),
    bias: ctx.constant(2, 'bias'),
    running_mean: ctx.constant(3, 'mean'),
    running_var: ctx.constant(4, 'variance'),
  });
};

function scaled(t: ConstTensor, by: number): ConstTensor {
  return by === 1 ? t : { ...t, data: Float32Array.from(t.data, (v) => v * by) };
}

/** Gemm on a flat input: Y = alpha·A·op(B) + beta·C, PyTorch's Linear with transB = 1. */
export const gemm: OpImporter = (ctx) => {
  if (ctx.attrs.int('transA', 0) !== 0) throw new Refusal('transA=1 (the input transposed)');
  const x = ctx.layerInput(0);
  if (x.shape.length !== 1) throw new Refusal(`its input is ${x.shape.join('×')}, not flat`);
  const b = ctx.constant(1, 'weight');
  if (b.dims.length !== 2) throw new Refusal(`its weight is ${b.dims.length}-D`);
  const weight = scaled(
    ctx.attrs.int('transB', 0) === 1 ? b : transposed2d(b),
    ctx.attrs.float('alpha', 1),
  );
  const out = weight.dims[0] ?? 0;
  let bias: ConstTensor | undefined;
  if (ctx.node.inputs[2]) {
    const c = scaled(ctx.constant(2, 'bias'), ctx.attrs.float('beta', 1));
    if (c.data.length === out) bias = { dims: [out], type: 'float', data: c.data };
    else if (c.data.length === 1)
      bias = { dims: [out], type: 'float', data: new Float32Array(out).fill(c.data[0] ?? 0) };
    else throw new Refusal(`its bias C has dims ${c.dims.join('×')}, not [${out}]`);
  }
  return ctx.emit(
    'Linear',
    { out_features: out, ...(bias === undefined && { bias: false }) },
    [x],
    {
      weight,
      ...(bias && { bias }),
    },
  );
};

/** MatMul by a constant [in, out] matrix: Linear without bias (an Add after it gives one). */
export const matMul: OpImporter = (ctx) => {
  const b = ctx.constant(1, 'weight');
  if (b.dims.length !== 2) throw new Refusal(`it multiplies by a ${b.dims.length}-D tensor`);
  const x = ctx.layerInput(0);
  return ctx.emit('Linear', { out_features: b.dims[1] ?? 0, bias: false }, [x], {
    weight: transposed2d(b),
  });
};

const layerValue = (v: Value | undefined) =>
  v?.kind === 'layer' || v?.kind === 'pad' ? v : undefined;

/** Add: a residual join of two layer outputs, or a constant added to a MatMul's Linear: its bias. */
export const add: OpImporter = (ctx) => {
  const constIndex = [0, 1].find((i) => ctx.value(i)?.kind === 'const');
  if (constIndex === undefined) {
    return ctx.emit('Add', {}, [ctx.layerInput(0), ctx.layerInput(1)]);
  }
  const other = 1 - constIndex;
  const x = layerValue(ctx.value(other));
  const linear = x?.kind === 'layer' ? ctx.layer(x.id) : undefined;
  const c = ctx.constant(constIndex, 'addend');
  const out = Number(linear?.params.out_features ?? 0);
  const single = ctx.readers(ctx.node.inputs[other] ?? '') === 1;
  if (
    x?.kind === 'layer' &&
    linear?.type === 'Linear' &&
    linear.params.bias === false &&
    single &&
    c.data.length === out &&
    c.dims.slice(0, -1).every((d) => d === 1)
  ) {
    linear.params = { out_features: out };
    linear.weights = { ...linear.weights, bias: { dims: [out], type: 'float', data: c.data } };
    return x;
  }
  throw new Refusal(
    'it adds a constant tensor, which no NN Builder layer does (a Linear bias aside)',
  );
};

/** Sum of any number of layer outputs: Add. */
export const sum: OpImporter = (ctx) => {
  const inputs = ctx.node.inputs.map((_, i) => ctx.layerInput(i));
  return inputs.length === 1 && inputs[0] ? inputs[0] : ctx.emit('Add', {}, inputs);
};

/** PyTorch's hardsigmoid: ONNX HardSigmoid with alpha 1/6 (ONNX's default is 0.2) and beta ½. */
export const hardSigmoid: OpImporter = (ctx) => {
  const alpha = ctx.attrs.float('alpha', 0.2);
  const beta = ctx.attrs.float('beta', 0.5);
  // Written as float32: 1/6 reads back as 0.1666666716337204.
  if (Math.abs(alpha - 1 / 6) > 1e-7 || beta !== 0.5) {
    throw new Refusal(
      `it computes max(0, min(1, ${float32Value(alpha)}·x + ${float32Value(beta)})); ` +
        'Hardsigmoid is x/6 + 1/2 (alpha 1/6, beta 0.5)',
    );
  }
  return ctx.emit('Hardsigmoid', {}, [ctx.layerInput(0)]);
};

/** The gate layers x·gate(x) fuses into: x·sigmoid(x) is SiLU (PyTorch before opset 20 has no
 * Swish), x·hardsigmoid(x) is Hardswish (PyTorch before opset 14 has no HardSwish). */
const SELF_GATED: Readonly<Record<string, string>> = { Sigmoid: 'SiLU', Hardsigmoid: 'Hardswish' };

/**
 * Mul of two computed tensors: x·gate(x) fuses into the gate's activation; any other product is
 * a Multiply layer (same shapes, or a C×1×1 gate over a C×H×W map, as squeeze-excitation writes).
 */
export const mul: OpImporter = (ctx) => {
  if ([0, 1].some((i) => ctx.value(i)?.kind === 'const')) {
    throw new Refusal(
      'it multiplies by a constant tensor, which no NN Builder layer does (Multiply takes two computed inputs)',
    );
  }
  for (const [gate, other] of [
    [0, 1],
    [1, 0],
  ] as const) {
    const g = ctx.value(gate);
    const x = layerValue(ctx.value(other));
    const activation = g?.kind === 'layer' ? ctx.layer(g.id) : undefined;
    const fused = activation ? SELF_GATED[activation.type] : undefined;
    if (
      g?.kind === 'layer' &&
      x?.kind === 'layer' &&
      activation !== undefined &&
      fused !== undefined &&
      activation.sources[0] === x.id &&
      ctx.readers(ctx.node.inputs[gate] ?? '') === 1
    ) {
      activation.type = fused;
      return g;
    }
  }
  return ctx.emit('Multiply', {}, [ctx.layerInput(0), ctx.layerInput(1)]);
};

/** Concat along a non-batch axis; the axis counts the batch, as Concat's dim does. */
export const concat: OpImporter = (ctx) => {
  const inputs = ctx.node.inputs.map((_, i) => ctx.layerInput(i));
  if (inputs.length === 1 && inputs[0]) return inputs[0]; // torch.cat([x]): DenseNet's first layer
  const rank = (inputs[0]?.shape.length ?? 0) + 1;
  const axis = ctx.attrs.int('axis', 1);
  const dim = axis < 0 ? axis + rank : axis;
  if (dim === 0) throw new Refusal('it concatenates along the batch axis');
  return ctx.emit('Concat', dim === 1 ? {} : { dim }, inputs);
};

/** Flatten with axis 1: everything but the batch into one vector. */
export const flatten: OpImporter = (ctx) => {
  const axis = ctx.attrs.int('axis', 1);
  const x = ctx.layerInput(0);
  if (axis !== 1 && axis !== -x.shape.length) {
    throw new Refusal(`axis=${axis} merges dims other than those after the batch`);
  }
  return ctx.emit('Flatten', {}, [x]);
};

/** Reshape (and Squeeze) to a flat vector per sample is Flatten; to the same shape, nothing. */
function toFlat(ctx: OpContext, target: readonly number[]): Value {
  const x = ctx.layerInput(0);
  const same = target.length === x.shape.length && target.every((d, i) => d === x.shape[i]);
  if (same) return x;
  if (target.length === 1 && target[0] === shapeSize(x.shape)) return ctx.emit('Flatten', {}, [x]);
  throw new Refusal(
    `it reshapes ${x.shape.join('×')} to ${target.join('×')}; only reshapes to a flat vector are supported`,
  );
}

export const reshape: OpImporter = (ctx) => {
  const v = ctx.value(0);
  const shape = v?.kind === 'view' ? viewShape(v) : ctx.shapeOf(0);
  const [batch, ...rest] = valuesOf(ctx.constant(1, 'shape'));
  // The batch axis: NaN (its folded size), 0 (copy), 1 (a file exported with batch 1), or −1
  // (inferred, every other dim known).
  if (batch !== undefined && !Number.isNaN(batch) && ![0, 1, -1].includes(batch)) {
    throw new Refusal(`it reshapes the batch axis to ${batch}`);
  }
  if (batch === -1 && rest.includes(-1)) throw new Refusal('it infers two axes (−1)');
  const allowZero = ctx.attrs.int('allowzero', 0) === 1;
  const target = reshapeTarget(shape, rest, allowZero);
  return groupedReshape(ctx, target) ?? toFlat(ctx, target);
};

export const squeeze: OpImporter = (ctx) => {
  const shape = ctx.shapeOf(0);
  const given = ctx.node.inputs[1]
    ? valuesOf(ctx.constant(1, 'axes'))
    : [...ctx.attrs.ints('axes', [])];
  const rank = shape.length + 1;
  const axes = given.map((a) => (a < 0 ? a + rank : a) - 1);
  if (axes.includes(-1)) throw new Refusal('it squeezes the batch axis');
  return toFlat(
    ctx,
    shape.filter((d, i) => (axes.length === 0 ? d !== 1 : !axes.includes(i))),
  );
};

/** Dropout in an inference graph (ratio from an input since opset 12). */
export const dropout: OpImporter = (ctx) => {
  const ratio = ctx.node.inputs[1]
    ? (scalarOf(ctx.constant(1, 'ratio')) ?? 0.5)
    : ctx.attrs.float('ratio', 0.5);
  const p = float32Value(ratio);
  return ctx.emit('Dropout', p === 0.5 ? {} : { p }, [ctx.layerInput(0)]);
};

/** Clip to [0, 6] is ReLU6, to [0, ∞) ReLU (bounds from inputs since opset 11). */
export const clip: OpImporter = (ctx) => {
  const bound = (i: number, attr: string, none: number) =>
    ctx.node.inputs[i] ? (scalarOf(ctx.constant(i, attr)) ?? none) : ctx.attrs.float(attr, none);
  const min = bound(1, 'min', -Infinity);
  const max = bound(2, 'max', Infinity);
  if (min === 0 && max === 6) return ctx.emit('ReLU6', {}, [ctx.layerInput(0)]);
  if (min === 0 && max >= 3.4e38) return ctx.emit('ReLU', {}, [ctx.layerInput(0)]);
  throw new Refusal(
    `it clips to [${min}, ${max}]; only [0, 6] (ReLU6) and [0, ∞) (ReLU) are layers`,
  );
};

/** Softmax/LogSoftmax over one axis (before opset 13 over all axes from `axis` on: the last only). */
export const softmax =
  (type: 'Softmax' | 'LogSoftmax'): OpImporter =>
  (ctx) => {
    const x = ctx.layerInput(0);
    const rank = x.shape.length + 1;
    const axis = ctx.attrs.int('axis', ctx.opset >= 13 ? -1 : 1);
    const dim = axis < 0 ? axis + rank : axis;
    if (ctx.opset < 13 && dim !== rank - 1) {
      throw new Refusal(`before opset 13 it normalizes over all axes from ${dim} on`);
    }
    return ctx.emit(type, dim === 1 ? {} : { dim }, [x]);
  };
