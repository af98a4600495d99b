// Importers of the Keras layers without windows: Dense, BatchNormalization, Dropout, Flatten and
// the reshapes around it, Add, Concatenate; with the activations and windowed layers, the one
// table from Keras class to registry layers (KERAS_IMPORTERS).
import { Refusal } from '../onnx/GraphBuilder.js';
import type { ConstTensor } from '../onnx/constTensor.js';
import { ACTIVATION_IMPORTERS, keepOrder, withActivation } from './kerasActivations.js';
import { kerasShape, type KerasImporter, type KerasTensor } from './kerasContext.js';
import { WINDOW_IMPORTERS } from './kerasWindowLayers.js';

/**
 * Where each element of a flattened channels-last C×H×W map lands in ours: Keras' element
 * (h·W + w)·C + c is our c·H·W + h·W + w.
 */
export function channelsLastOrder([c = 0, h = 0, w = 0]: readonly number[]): number[] {
  const order = new Array<number>(c * h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) order[(y * w + x) * c + k] = k * h * w + y * w + x;
  return order;
}

/** A vector in Keras' element order put in ours. */
function reordered(t: ConstTensor, order: readonly number[] | undefined): ConstTensor {
  if (order === undefined) return t;
  const data = new Float32Array(t.data.length);
  order.forEach((ours, k) => (data[ours] = t.data[k] ?? 0));
  return { ...t, data };
}

const sameOrder = (a: KerasTensor, b: KerasTensor) =>
  a.order === b.order ||
  (a.order !== undefined && b.order !== undefined && a.order.every((v, i) => b.order?.[i] === v));

const dense: KerasImporter = (ctx) => {
  const x = ctx.tensor(0);
  if (x.shape.length !== 1) {
    throw new Refusal(
      `it reads a ${x.shape.join('×')} input: Keras' Dense then acts on each pixel's channels, which no NN Builder layer does (Flatten first)`,
    );
  }
  const inFeatures = x.shape[0] ?? 0;
  const units = Number(ctx.config.units);
  const kernel = ctx.weight('kernel', [inFeatures, units]);
  // Keras' kernel is [in, out] with rows in Keras' element order; our weight is [out, in].
  const weight = new Float32Array(units * inFeatures);
  for (let k = 0; k < inFeatures; k++) {
    const j = x.order?.[k] ?? k;
    for (let o = 0; o < units; o++) weight[o * inFeatures + j] = kernel.data[k * units + o] ?? 0;
  }
  const useBias = ctx.config.use_bias !== false;
  const out = ctx.emit('Linear', { out_features: units, ...(!useBias && { bias: false }) }, [x], {
    weight: { dims: [units, inFeatures], type: 'float', data: weight },
    ...(useBias && { bias: ctx.weight('bias', [units]) }),
  });
  return withActivation(ctx, out);
};

const batchNormalization: KerasImporter = (ctx) => {
  const x = ctx.tensor(0);
  const rank = x.shape.length + 1;
  const axes = [ctx.config.axis ?? -1].flat();
  if (axes.length !== 1 || !(axes[0] === -1 || axes[0] === rank - 1)) {
    throw new Refusal(`it normalizes axis ${JSON.stringify(ctx.config.axis)}, not the channels`);
  }
  const c = x.shape[0] ?? 0;
  const scale = ctx.config.scale !== false;
  const center = ctx.config.center !== false;
  const fill = (v: number): ConstTensor => ({
    dims: [c],
    type: 'float',
    data: new Float32Array(c).fill(v),
  });
  const vector = (name: string) => reordered(ctx.weight(name, [c]), x.order);
  const eps = Number(ctx.config.epsilon ?? 1e-3);
  // Keras keeps `momentum` of the old statistic, PyTorch mixes in `momentum` of the new one.
  const momentum = Number((1 - Number(ctx.config.momentum ?? 0.99)).toPrecision(12));
  const out = ctx.emit(
    x.shape.length === 3 ? 'BatchNorm2d' : 'BatchNorm1d',
    {
      ...(eps !== 1e-5 && { eps }),
      ...(momentum !== 0.1 && { momentum }),
      ...(!scale && !center && { affine: false }),
    },
    [x],
    {
      ...((scale || center) && {
        weight: scale ? vector('gamma') : fill(1),
        bias: center ? vector('beta') : fill(0),
      }),
      running_mean: vector('moving_mean'),
      running_var: vector('moving_variance'),
    },
  );
  return keepOrder(out, x);
};

/** LayerNormalization over the channels of a channels-last map: LayerNorm2d (ConvNeXt). */
const layerNormalization: KerasImporter = (ctx) => {
  const x = ctx.tensor(0);
  const axes = [ctx.config.axis ?? -1].flat();
  if (x.shape.length !== 3 || axes.length !== 1 || !(axes[0] === -1 || axes[0] === 3)) {
    throw new Refusal(
      `it normalizes axis ${JSON.stringify(ctx.config.axis)} of a ${kerasShape(x.shape).join('×')} ` +
        'tensor; only the channels of an H×W×C map are a layer (LayerNorm2d)',
    );
  }
  const c = x.shape[0] ?? 0;
  const scale = ctx.config.scale !== false;
  const center = ctx.config.center !== false;
  if (scale !== center)
    throw new Refusal('it learns only one of scale and shift (LayerNorm2d: both or none)');
  const eps = Number(ctx.config.epsilon ?? 1e-3);
  return ctx.emit(
    'LayerNorm2d',
    { ...(eps !== 1e-5 && { eps }), ...(!scale && { elementwise_affine: false }) },
    [x],
    scale ? { weight: ctx.weight('gamma', [c]), bias: ctx.weight('beta', [c]) } : {},
  );
};

const dropout =
  (type: 'Dropout' | 'Dropout2d'): KerasImporter =>
  (ctx) => {
    const x = ctx.tensor(0);
    const p = Number(ctx.config.rate ?? 0.5);
    return keepOrder(ctx.emit(type, p === 0.5 ? {} : { p }, [x]), x);
  };

const flatten: KerasImporter = (ctx) => {
  const v = ctx.value(0);
  if (v.kind === 'chw') return ctx.emit('Flatten', {}, [v.source]);
  if (v.kind === 'pooled') return (v.flat ??= ctx.emit('Flatten', {}, [v.spatial]));
  const x = ctx.tensor(0);
  if (x.shape.length === 1) return x;
  return { ...ctx.emit('Flatten', {}, [x]), order: channelsLastOrder(x.shape) };
};

const reshape: KerasImporter = (ctx) => {
  const v = ctx.value(0);
  const target = ctx.config.target_shape;
  const same = (shape: readonly number[]) =>
    Array.isArray(target) &&
    target.length === shape.length &&
    target.every((d, i) => d === shape[i]);
  if (v.kind === 'pooled' && same([1, 1, v.spatial.shape[0] ?? 0])) return v.spatial;
  const x = ctx.tensor(0);
  if (same(kerasShape(x.shape))) return x;
  throw new Refusal(`a Reshape to ${JSON.stringify(target)} has no NN Builder layer`);
};

const permute: KerasImporter = (ctx) => {
  const x = ctx.tensor(0);
  const dims = ctx.config.dims;
  if (x.shape.length === 3 && JSON.stringify(dims) === '[3,1,2]') {
    return { kind: 'chw', source: x, name: ctx.spec.name };
  }
  throw new Refusal(`a Permute ${JSON.stringify(dims)} is read only as (3, 1, 2) before a Flatten`);
};

const add: KerasImporter = (ctx) => {
  const xs = ctx.tensors();
  const [first] = xs;
  if (first === undefined || !xs.every((x) => sameOrder(x, first))) {
    throw new Refusal('it adds a channels-last Flatten to a tensor in another order');
  }
  return keepOrder(ctx.emit('Add', {}, xs), first);
};

/** Multiply of two tensors: same shapes, or a 1×1×C gate over an H×W×C map (squeeze-excitation). */
const multiply: KerasImporter = (ctx) => {
  const xs = ctx.tensors();
  if (xs.length !== 2) throw new Refusal(`it multiplies ${xs.length} tensors; Multiply takes two`);
  if (xs.some((x) => x.order !== undefined)) {
    throw new Refusal(
      'it multiplies a channels-last Flatten, whose order NN Builder does not keep',
    );
  }
  return ctx.emit('Multiply', {}, xs);
};

const concatenate: KerasImporter = (ctx) => {
  const xs = ctx.tensors();
  if (xs.some((x) => x.order !== undefined)) {
    throw new Refusal('it joins channels-last Flattens, whose order NN Builder does not keep');
  }
  const rank = (xs[0]?.shape.length ?? 0) + 1;
  const raw = Number(ctx.config.axis ?? -1);
  const axis = raw < 0 ? raw + rank : raw;
  // Keras' axes of a map are (batch, H, W, C); ours (batch, C, H, W).
  const dim = rank === 4 ? (axis === 3 ? 1 : axis + 1) : axis;
  return ctx.emit('Concat', dim === 1 ? {} : { dim }, xs);
};

/**
 * The importer of each Keras layer class NN Builder reads (InputLayer aside: the walk reads it).
 * A class missing here is refused with every other one in one table.
 */
export const KERAS_IMPORTERS: Readonly<Record<string, KerasImporter>> = {
  ...WINDOW_IMPORTERS,
  ...ACTIVATION_IMPORTERS,
  Dense: dense,
  BatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
  Dropout: dropout('Dropout'),
  SpatialDropout2D: dropout('Dropout2d'),
  Flatten: flatten,
  Reshape: reshape,
  Permute: permute,
  Add: add,
  Multiply: multiply,
  Concatenate: concatenate,
};

/** The importer of a Keras class, or undefined. */
export const kerasImporter = (className: string): KerasImporter | undefined =>
  Object.hasOwn(KERAS_IMPORTERS, className) ? KERAS_IMPORTERS[className] : undefined;
