// Importers of the Keras layers that slide windows over channels-last maps: convolutions, pools,
// padding, cropping, upsampling. Kernels are H×W×C_in×C_out in Keras and C_out×C_in×H×W to us.
import { Refusal, type Params } from '../onnx/GraphBuilder.js';
import type { ConstTensor } from '../onnx/constTensor.js';
import { ModelFormatError } from '../onnx/importErrors.js';
import {
  compact,
  pairOf,
  type KerasImporter,
  type KerasLayerContext,
  type KerasTensor,
} from './kerasContext.js';
import { withActivation } from './kerasActivations.js';
import { permuteAxes } from './kerasWeights.js';

/** Layers whose output is never negative: zero padding before a max pool is then exact. */
const NON_NEGATIVE = new Set(['ReLU', 'ReLU6', 'Sigmoid', 'MaxPool2d', 'AdaptiveMaxPool2d']);

function channelsLast(ctx: KerasLayerContext): void {
  const format = ctx.config.data_format;
  if (format !== undefined && format !== null && format !== 'channels_last') {
    throw new Refusal(`data_format "${String(format)}" is not read (channels_last only)`);
  }
}

/**
 * TensorFlow's "same" padding of one axis: the output is ⌈in/stride⌉ and the total padding that
 * needs, the smaller half before (tf.nn.conv2d's documented rule).
 */
export function tfSamePadding(
  input: number,
  k: number,
  stride: number,
  dilation = 1,
): [number, number] {
  const out = Math.ceil(input / stride);
  const total = Math.max((out - 1) * stride + (k - 1) * dilation + 1 - input, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** The padding a convolution takes: a ZeroPadding2D before it, or "same", as [t, b, l, r]. */
function convInput(
  ctx: KerasLayerContext,
  k: readonly [number, number],
  s: readonly [number, number],
  d: readonly [number, number],
): { x: KerasTensor; pads: readonly [number, number, number, number] } {
  const padding = ctx.config.padding ?? 'valid';
  const first = ctx.value(0);
  if (padding === 'valid' && first.kind === 'pad') return { x: first.source, pads: first.pads };
  const x = ctx.tensor(0);
  if (padding === 'valid') return { x, pads: [0, 0, 0, 0] };
  if (padding !== 'same') throw new Refusal(`padding "${String(padding)}" has no NN Builder form`);
  const [, h = 0, w = 0] = x.shape;
  const [t, b] = tfSamePadding(h, k[0], s[0], d[0]);
  const [l, r] = tfSamePadding(w, k[1], s[1], d[1]);
  return { x, pads: [t, b, l, r] };
}

/** Conv2d's padding param for [t, b, l, r], with a ZeroPad2d first when it is asymmetric. */
function paddedInput(
  ctx: KerasLayerContext,
  x: KerasTensor,
  [t, b, l, r]: readonly [number, number, number, number],
): { x: KerasTensor; padding: Params } {
  if (t === b && l === r) return { x, padding: t + l > 0 ? { padding: compact([t, l]) } : {} };
  return { x: ctx.emit('ZeroPad2d', { padding: [l, r, t, b] }, [x], {}, 'pad'), padding: {} };
}

function expectShape(ctx: KerasLayerContext, name: string, t: ConstTensor, shape: number[]): void {
  if (t.dims.length !== shape.length || t.dims.some((d, i) => d !== shape[i])) {
    throw new ModelFormatError(
      `${ctx.spec.className} "${ctx.spec.name}": its ${name} is ${t.dims.join('×')} but the layer needs ${shape.join('×')}`,
    );
  }
}

function convolution(kind: 'Conv2D' | 'DepthwiseConv2D'): KerasImporter {
  return (ctx) => {
    channelsLast(ctx);
    const c = ctx.config;
    const k = pairOf(c.kernel_size, 1);
    const s = pairOf(c.strides, 1);
    const d = pairOf(c.dilation_rate, 1);
    const { x: source, pads } = convInput(ctx, k, s, d);
    const cin = source.shape[0] ?? 0;
    const useBias = c.use_bias !== false;
    let weight: ConstTensor;
    let params: Params;
    if (kind === 'Conv2D') {
      const groups = typeof c.groups === 'number' ? c.groups : 1;
      const cout = Number(c.filters);
      const kernel = ctx.weight('kernel');
      expectShape(ctx, 'kernel', kernel, [k[0], k[1], cin / groups, cout]);
      weight = permuteAxes(kernel, [3, 2, 0, 1]);
      params = { out_channels: cout, ...(groups !== 1 && { groups }) };
    } else {
      // Depthwise: our output channel i·m + j is input channel i's j-th filter.
      const m = typeof c.depth_multiplier === 'number' ? c.depth_multiplier : 1;
      const kernel = ctx.weight('depthwise_kernel');
      expectShape(ctx, 'depthwise_kernel', kernel, [k[0], k[1], cin, m]);
      const t = permuteAxes(kernel, [2, 3, 0, 1]);
      weight = { ...t, dims: [cin * m, 1, k[0], k[1]] };
      params = { out_channels: cin * m, groups: cin };
    }
    const bias: Record<string, ConstTensor> = useBias
      ? { bias: ctx.weight('bias', [weight.dims[0] ?? 0]) }
      : {};
    const { x, padding } = paddedInput(ctx, source, pads);
    const out = ctx.emit(
      'Conv2d',
      {
        ...params,
        kernel_size: compact(k),
        ...(s[0] * s[1] > 1 && { stride: compact(s) }),
        ...padding,
        ...(d[0] * d[1] > 1 && { dilation: compact(d) }),
        ...(!useBias && { bias: false }),
      },
      [x],
      { weight, ...bias },
    );
    return withActivation(ctx, out);
  };
}

const convTranspose: KerasImporter = (ctx) => {
  channelsLast(ctx);
  const c = ctx.config;
  if ((c.padding ?? 'valid') !== 'valid') {
    throw new Refusal(
      `padding "${String(c.padding)}" is not read for Conv2DTranspose (valid only)`,
    );
  }
  if (c.output_padding !== undefined && c.output_padding !== null) {
    throw new Refusal('output_padding is not read');
  }
  const d = pairOf(c.dilation_rate, 1);
  if (d[0] * d[1] > 1) throw new Refusal('a dilated Conv2DTranspose is not read');
  const k = pairOf(c.kernel_size, 1);
  const s = pairOf(c.strides, 1);
  const x = ctx.tensor(0);
  const cout = Number(c.filters);
  const kernel = ctx.weight('kernel');
  expectShape(ctx, 'kernel', kernel, [k[0], k[1], cout, x.shape[0] ?? 0]);
  const useBias = c.use_bias !== false;
  const out = ctx.emit(
    'ConvTranspose2d',
    {
      out_channels: cout,
      kernel_size: compact(k),
      ...(s[0] * s[1] > 1 && { stride: compact(s) }),
      ...(!useBias && { bias: false }),
    },
    [x],
    {
      weight: permuteAxes(kernel, [3, 2, 0, 1]),
      ...(useBias && { bias: ctx.weight('bias', [cout]) }),
    },
  );
  return withActivation(ctx, out);
};

/** PyTorch's pooled size (ceil_mode drops a last window that would start in the padding). */
function pooledSize(input: number, k: number, s: number, p: number, ceil: boolean): number {
  const span = input + 2 * p - k;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (out - 1) * s >= input + p) out--;
  return out;
}

function pool(type: 'MaxPool2d' | 'AvgPool2d'): KerasImporter {
  return (ctx) => {
    channelsLast(ctx);
    const k = pairOf(ctx.config.pool_size, 2);
    const s =
      ctx.config.strides === null || ctx.config.strides === undefined
        ? k
        : pairOf(ctx.config.strides, 1);
    const padding = ctx.config.padding ?? 'valid';
    const first = ctx.value(0);
    const max = type === 'MaxPool2d';
    // [t, b, l, r] to take into the pool, and whether padded cells are counted (Keras zeros).
    let source: KerasTensor;
    let pads: readonly [number, number, number, number];
    let zerosCount: boolean;
    if (padding === 'same') {
      source = ctx.tensor(0);
      const [, h = 0, w = 0] = source.shape;
      pads = [...tfSamePadding(h, k[0], s[0]), ...tfSamePadding(w, k[1], s[1])];
      zerosCount = false; // TensorFlow leaves padded cells out of the max and the average
    } else if (padding === 'valid' && first.kind === 'pad') {
      // Zeros padded before a max pool act as PyTorch's −∞ only after a non-negative layer.
      const exact = !max || NON_NEGATIVE.has(ctx.typeOf(first.source) ?? '');
      source = exact ? first.source : ctx.tensor(0);
      pads = exact ? first.pads : [0, 0, 0, 0];
      zerosCount = true;
    } else if (padding === 'valid') {
      source = ctx.tensor(0);
      pads = [0, 0, 0, 0];
      zerosCount = true;
    } else {
      throw new Refusal(`padding "${String(padding)}" has no NN Builder form`);
    }
    const [t, b, l, r] = pads;
    const [, h = 0, w = 0] = source.shape;
    const want = [
      Math.floor((h + t + b - k[0]) / s[0]) + 1,
      Math.floor((w + l + r - k[1]) / s[1]) + 1,
    ];
    // The padding before as PyTorch's symmetric padding; any extra after as ceil_mode windows.
    const ceil = b > t || r > l;
    const fits =
      b >= t &&
      r >= l &&
      2 * t <= k[0] &&
      2 * l <= k[1] &&
      pooledSize(h, k[0], s[0], t, ceil) === want[0] &&
      pooledSize(w, k[1], s[1], l, ceil) === want[1] &&
      (max || !ceil || !zerosCount);
    let x = source;
    let taken: [number, number] = [t, l];
    if (!fits) {
      if (padding === 'same') {
        throw new Refusal(
          `padding "same" pads ${pads.join(', ')} here, which no PyTorch pool does`,
        );
      }
      x = ctx.tensor(0);
      taken = [0, 0];
    }
    const padded = taken[0] + taken[1] > 0;
    const out = ctx.emit(
      type,
      {
        kernel_size: compact(k),
        stride: compact(s),
        ...(padded && { padding: compact(taken) }),
        ...(fits && ceil && { ceil_mode: true }),
        ...(!max && padded && !zerosCount && { count_include_pad: false }),
      },
      [x],
    );
    if (out.shape[1] !== want[0] || out.shape[2] !== want[1]) {
      throw new Refusal(
        `the pooled size ${out.shape.join('×')} differs from Keras' ${want.join('×')}`,
      );
    }
    return out;
  };
}

function globalPool(type: 'AdaptiveAvgPool2d' | 'AdaptiveMaxPool2d'): KerasImporter {
  return (ctx) => {
    channelsLast(ctx);
    const spatial = ctx.emit(type, { output_size: 1 }, [ctx.tensor(0)]);
    if (ctx.config.keepdims === true) return spatial;
    return { kind: 'pooled', spatial, name: ctx.spec.name };
  };
}

/** Keras' `((top, bottom), (left, right))`, `(h, w)` or `n` as [t, b, l, r]. */
function fourSides(value: unknown): [number, number, number, number] {
  if (Array.isArray(value) && value.every(Array.isArray)) {
    const [[t = 0, b = 0] = [], [l = 0, r = 0] = []] = value as number[][];
    return [t, b, l, r];
  }
  const [h, w] = pairOf(value, 1);
  return [h, h, w, w];
}

const zeroPadding: KerasImporter = (ctx) => {
  channelsLast(ctx);
  return {
    kind: 'pad',
    source: ctx.tensor(0),
    pads: fourSides(ctx.config.padding),
    name: ctx.spec.name,
  };
};

const cropping: KerasImporter = (ctx) => {
  channelsLast(ctx);
  const [t, b, l, r] = fourSides(ctx.config.cropping ?? 0);
  return ctx.emit('ZeroPad2d', { padding: [-l, -r, -t, -b] }, [ctx.tensor(0)]);
};

const upSampling: KerasImporter = (ctx) => {
  channelsLast(ctx);
  const interpolation = ctx.config.interpolation ?? 'nearest';
  if (interpolation !== 'nearest') {
    throw new Refusal(`interpolation "${String(interpolation)}" is not read (nearest only)`);
  }
  return ctx.emit('Upsample', { scale_factor: pairOf(ctx.config.size, 2) }, [ctx.tensor(0)]);
};

/** The importers of the windowed layers, by Keras class name. */
export const WINDOW_IMPORTERS: Readonly<Record<string, KerasImporter>> = {
  Conv2D: convolution('Conv2D'),
  DepthwiseConv2D: convolution('DepthwiseConv2D'),
  Conv2DTranspose: convTranspose,
  MaxPooling2D: pool('MaxPool2d'),
  AveragePooling2D: pool('AvgPool2d'),
  GlobalAveragePooling2D: globalPool('AdaptiveAvgPool2d'),
  GlobalMaxPooling2D: globalPool('AdaptiveMaxPool2d'),
  ZeroPadding2D: zeroPadding,
  Cropping2D: cropping,
  UpSampling2D: upSampling,
};
