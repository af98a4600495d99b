import type { NodeAnalysis } from '../../core/analysis/analyze.js';
import type { LayerType, Params } from '../../core/layers/registry.js';
import { samePadding } from '../../core/math/convArithmetic.js';

type Pair = readonly [number, number];
type Config = Record<string, unknown>;

/** What a Keras emitter sees of one layer and how it adds layers to the LayersModel. */
export interface KerasContext<P = Readonly<Record<string, unknown>>> {
  readonly layer: NodeAnalysis;
  /** Resolved params (PyTorch defaults applied, pairs normalized). */
  readonly p: P;
  /** Keras layer names producing this layer's inputs, in port order. */
  readonly inputs: readonly string[];
  /** Types of the layers feeding this one (to know when an input is non-negative). */
  readonly sourceTypes: readonly string[];
  /** Adds a Keras layer fed by `inputs`; returns its name. Weights are given in Keras order. */
  add(
    className: string,
    config: Config,
    inputs: readonly string[],
    weights?: readonly KerasWeight[],
  ): string;
  /** The PyTorch tensor of this layer (`weight`, `bias`, `running_mean`, …). */
  tensor(name: string): { readonly shape: readonly number[]; readonly data: Float32Array };
  fail(reason: string): never;
}

export interface KerasWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * Writes one layer. Declared as a method so it is bivariant in its params: an emitter typed with
 * its own layer's `Params<T>` is looked up by a type name read from the graph, and the analysis
 * hands it exactly the params it resolved from that type's spec.
 */
export type KerasEmitter<P = Readonly<Record<string, unknown>>> = {
  emit(ctx: KerasContext<P>): void;
}['emit'];

/** Layers whose output is never negative: zero padding before a max pool is then exact. */
const NON_NEGATIVE = new Set(['ReLU', 'ReLU6', 'Sigmoid', 'MaxPool2d', 'AdaptiveMaxPool2d']);
const pair = (v: unknown): Pair => v as Pair;
const first = <P>(ctx: KerasContext<P>) => ctx.inputs[0] ?? '';

/** Permutes a row-major tensor of `shape` by `order` (numpy's transpose). */
export function transpose(
  data: Float32Array,
  shape: readonly number[],
  order: readonly number[],
): Float32Array {
  const out = new Float32Array(data.length);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const newShape = order.map((o) => shape[o] ?? 1);
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < out.length; i++) {
    let rest = i;
    for (let d = newShape.length - 1; d >= 0; d--) {
      const size = newShape[d] ?? 1;
      index[order[d] ?? 0] = rest % size;
      rest = Math.floor(rest / size);
    }
    let source = 0;
    for (let d = 0; d < shape.length; d++) source += (index[d] ?? 0) * (strides[d] ?? 0);
    out[i] = data[source] ?? 0;
  }
  return out;
}

/** A Keras `ZeroPadding2D` when there is padding; returns the tensor to continue from. */
function zeroPad<P>(
  ctx: KerasContext<P>,
  input: string,
  [t, b, l, r]: readonly number[],
  suffix = 'pad',
): string {
  if (t === 0 && b === 0 && l === 0 && r === 0) return input;
  return ctx.add(
    'ZeroPadding2D',
    {
      padding: [
        [t, b],
        [l, r],
      ],
      data_format: 'channels_last',
      __suffix: suffix,
    },
    [input],
  );
}

const conv: KerasEmitter<Params<'Conv2d'>> = (ctx) => {
  if (ctx.p.padding_mode !== 'zeros')
    ctx.fail(`padding_mode "${ctx.p.padding_mode}" has no Keras layer`);
  const k = ctx.p.kernel_size;
  const d = ctx.p.dilation;
  const s = ctx.p.stride;
  if ((d[0] > 1 || d[1] > 1) && (s[0] > 1 || s[1] > 1))
    ctx.fail('TensorFlow.js does not run dilated convolutions with a stride');
  const pads =
    ctx.p.padding === 'same'
      ? [samePadding(k[0], d[0]), samePadding(k[1], d[1])].flatMap((x) => [x.before, x.after])
      : [ctx.p.padding[0], ctx.p.padding[0], ctx.p.padding[1], ctx.p.padding[1]];
  const [t = 0, b = 0, l = 0, r = 0] = pads;
  const input = zeroPad(ctx, first(ctx), [t, b, l, r]);
  const w = ctx.tensor('weight');
  const bias =
    ctx.p.bias === false
      ? []
      : [{ name: 'bias', shape: [w.shape[0] ?? 0], data: ctx.tensor('bias').data }];
  const groups = ctx.p.groups;
  const cin = ctx.layer.inputShapes[0]?.[0] ?? 0;
  const cout = w.shape[0] ?? 0;
  const common = {
    kernel_size: k,
    strides: s,
    padding: 'valid',
    data_format: 'channels_last',
    dilation_rate: d,
    activation: 'linear',
    use_bias: bias.length > 0,
  };
  if (groups === 1) {
    ctx.add(
      'Conv2D',
      { ...common, filters: cout },
      [input],
      [
        {
          name: 'kernel',
          shape: [k[0], k[1], cin, cout],
          data: transpose(w.data, w.shape, [2, 3, 1, 0]),
        },
        ...bias,
      ],
    );
  } else if (groups === cin) {
    // Depthwise: PyTorch output channel i·m + j is input channel i's j-th filter.
    const m = cout / cin;
    ctx.add(
      'DepthwiseConv2D',
      { ...common, depth_multiplier: m },
      [input],
      [
        {
          name: 'depthwise_kernel',
          shape: [k[0], k[1], cin, m],
          data: transpose(w.data, [cin, m, k[0], k[1]], [2, 3, 0, 1]),
        },
        ...bias,
      ],
    );
  } else {
    ctx.fail(`groups=${groups} (neither 1 nor depthwise) has no standard Keras layer`);
  }
};

const convTranspose: KerasEmitter<Params<'ConvTranspose2d'>> = (ctx) => {
  const op = ctx.p.output_padding;
  const d = ctx.p.dilation;
  if (ctx.p.groups !== 1 || op[0] + op[1] > 0 || d[0] * d[1] > 1) {
    ctx.fail(
      'groups, output_padding and dilation have no Keras Conv2DTranspose equivalent in TensorFlow.js',
    );
  }
  const k = ctx.p.kernel_size;
  const w = ctx.tensor('weight');
  const [cin = 0, cout = 0] = w.shape;
  const bias =
    ctx.p.bias === false ? [] : [{ name: 'bias', shape: [cout], data: ctx.tensor('bias').data }];
  const up = ctx.add(
    'Conv2DTranspose',
    {
      filters: cout,
      kernel_size: k,
      strides: ctx.p.stride,
      padding: 'valid',
      data_format: 'channels_last',
      activation: 'linear',
      use_bias: bias.length > 0,
    },
    [first(ctx)],
    [
      {
        name: 'kernel',
        shape: [k[0], k[1], cout, cin],
        data: transpose(w.data, w.shape, [2, 3, 1, 0]),
      },
      ...bias,
    ],
  );
  const [ph, pw] = ctx.p.padding;
  if (ph + pw > 0)
    ctx.add(
      'Cropping2D',
      {
        cropping: [
          [ph, ph],
          [pw, pw],
        ],
        data_format: 'channels_last',
      },
      [up],
    );
};

function pool(className: 'MaxPooling2D' | 'AveragePooling2D'): KerasEmitter {
  return (ctx) => {
    const k = pair(ctx.p.kernel_size);
    const s = ctx.p.stride === null ? k : pair(ctx.p.stride);
    const p = pair(ctx.p.padding);
    const max = className === 'MaxPooling2D';
    if (max && pair(ctx.p.dilation).some((x) => x > 1))
      ctx.fail('dilated max pooling has no Keras layer');
    if (!max && ctx.p.divisor_override !== null) ctx.fail('divisor_override has no Keras layer');
    if (!max && !ctx.p.count_include_pad && p[0] + p[1] > 0)
      ctx.fail('count_include_pad=False with padding has no Keras layer');
    const [, h = 0, w = 0] = ctx.layer.inputShapes[0] ?? [];
    const [, oh = 0, ow = 0] = ctx.layer.outputShape ?? [];
    // Extra bottom/right padding for the windows ceil_mode adds.
    const extra = [oh, ow].map((o, i) =>
      Math.max(0, (o - 1) * (s[i] ?? 1) + (k[i] ?? 1) - ([h, w][i] ?? 0) - 2 * (p[i] ?? 0)),
    );
    const padded = p[0] + p[1] + (extra[0] ?? 0) + (extra[1] ?? 0) > 0;
    if (padded && max && !ctx.sourceTypes.every((t) => NON_NEGATIVE.has(t))) {
      ctx.fail(
        'PyTorch pads max pooling with −∞ and Keras with zeros; that is only exact after a non-negative layer such as ReLU',
      );
    }
    if (!max && (extra[0] ?? 0) + (extra[1] ?? 0) > 0)
      ctx.fail('ceil_mode adds partial windows that Keras averages differently');
    const input = zeroPad(ctx, first(ctx), [
      p[0],
      p[0] + (extra[0] ?? 0),
      p[1],
      p[1] + (extra[1] ?? 0),
    ]);
    ctx.add(
      className,
      { pool_size: k, strides: s, padding: 'valid', data_format: 'channels_last' },
      [input],
    );
  };
}

function adaptive(className: 'MaxPooling2D' | 'AveragePooling2D', global: string): KerasEmitter {
  return (ctx) => {
    const [c = 0, h = 0, w = 0] = ctx.layer.inputShapes[0] ?? [];
    const [, oh = 0, ow = 0] = ctx.layer.outputShape ?? [];
    if (oh === 1 && ow === 1) {
      const g = ctx.add(global, { data_format: 'channels_last' }, [first(ctx)]);
      ctx.add('Reshape', { target_shape: [1, 1, c] }, [g]);
      return;
    }
    if (h % oh !== 0 || w % ow !== 0)
      ctx.fail(`its ${h}×${w} → ${oh}×${ow} windows are uneven; Keras has no adaptive pooling`);
    ctx.add(
      className,
      {
        pool_size: [h / oh, w / ow],
        strides: [h / oh, w / ow],
        padding: 'valid',
        data_format: 'channels_last',
      },
      [first(ctx)],
    );
  };
}

const batchNorm: KerasEmitter<Params<'BatchNorm2d'>> = (ctx) => {
  if (ctx.p.track_running_stats === false)
    ctx.fail('without running statistics it normalizes with each batch at inference');
  const affine = ctx.p.affine !== false;
  const weights = [
    ...(affine
      ? [
          { name: 'gamma', ...ctx.tensor('weight') },
          { name: 'beta', ...ctx.tensor('bias') },
        ]
      : []),
    { name: 'moving_mean', ...ctx.tensor('running_mean') },
    { name: 'moving_variance', ...ctx.tensor('running_var') },
  ];
  const momentum = typeof ctx.p.momentum === 'number' ? 1 - ctx.p.momentum : 0.99;
  const config = { axis: -1, epsilon: ctx.p.eps, momentum, center: affine, scale: affine };
  if (ctx.layer.inputShapes[0]?.length !== 2)
    return void ctx.add('BatchNormalization', config, [first(ctx)], weights);
  // C×L: TensorFlow.js normalizes the last axis reliably, so move C there and back.
  const channelsLast = ctx.add('Permute', { dims: [2, 1], __suffix: 'cl' }, [first(ctx)]);
  const normalized = ctx.add('BatchNormalization', config, [channelsLast], weights);
  ctx.add('Permute', { dims: [2, 1], __suffix: 'lc' }, [normalized]);
};

const activation =
  (name: string): KerasEmitter =>
  (ctx) =>
    void ctx.add('Activation', { activation: name }, [first(ctx)]);

/** A PyTorch dim (batch counted) as a Keras axis: C×H×W tensors are H×W×C inside the model. */
function axis<P>(ctx: KerasContext<P>, dim: number): number {
  const rank = (ctx.layer.inputShapes[0]?.length ?? 0) + 1;
  const d = dim < 0 ? dim + rank : dim;
  if (rank !== 4) return d;
  return d === 1 ? 3 : d - 1;
}

const flatten: KerasEmitter<Params<'Flatten'>> = (ctx) => {
  if (ctx.p.start_dim !== 1 || ctx.p.end_dim !== -1)
    ctx.fail('only Flatten(start_dim=1, end_dim=-1) has a Keras form');
  const spatial = ctx.layer.inputShapes[0]?.length === 3;
  // Back to C×H×W order first, so the weights of the next Dense line up with PyTorch's.
  const input = spatial
    ? ctx.add('Permute', { dims: [3, 1, 2], __suffix: 'chw' }, [first(ctx)])
    : first(ctx);
  ctx.add('Flatten', {}, [input]);
};

const linear: KerasEmitter<Params<'Linear'>> = (ctx) => {
  const w = ctx.tensor('weight');
  const [out = 0, inFeatures = 0] = w.shape;
  const bias =
    ctx.p.bias === false ? [] : [{ name: 'bias', shape: [out], data: ctx.tensor('bias').data }];
  ctx.add(
    'Dense',
    { units: out, activation: 'linear', use_bias: bias.length > 0 },
    [first(ctx)],
    [
      { name: 'kernel', shape: [inFeatures, out], data: transpose(w.data, w.shape, [1, 0]) },
      ...bias,
    ],
  );
};

/**
 * The Keras emitter of every registry type but `Input` (the model's input), typed with its layer's
 * resolved params. A type or setting Keras cannot express keeps an entry that calls `ctx.fail`
 * with the reason, which the export error shows the user.
 */
export const KERAS_EMITTERS: {
  readonly [T in Exclude<LayerType, 'Input'>]: KerasEmitter<Params<T>>;
} = {
  Conv2d: conv,
  ConvTranspose2d: convTranspose,
  MaxPool2d: pool('MaxPooling2D'),
  AvgPool2d: pool('AveragePooling2D'),
  AdaptiveAvgPool2d: adaptive('AveragePooling2D', 'GlobalAveragePooling2D'),
  AdaptiveMaxPool2d: adaptive('MaxPooling2D', 'GlobalMaxPooling2D'),
  BatchNorm2d: batchNorm,
  BatchNorm1d: batchNorm,
  // Channels last: Keras' LayerNormalization over the last axis is LayerNorm2d exactly.
  LayerNorm2d: (ctx) => {
    const affine = ctx.p.elementwise_affine;
    const weights = affine
      ? [
          { name: 'gamma', ...ctx.tensor('weight') },
          { name: 'beta', ...ctx.tensor('bias') },
        ]
      : [];
    ctx.add(
      'LayerNormalization',
      { axis: -1, epsilon: ctx.p.eps, center: affine, scale: affine },
      [first(ctx)],
      weights,
    );
  },
  ReLU: activation('relu'),
  ReLU6: activation('relu6'),
  LeakyReLU: (ctx) => void ctx.add('LeakyReLU', { alpha: ctx.p.negative_slope }, [first(ctx)]),
  ELU: (ctx) => {
    if (ctx.p.alpha !== 1) ctx.fail('TensorFlow.js ELU layers support only alpha = 1');
    ctx.add('ELU', { alpha: 1 }, [first(ctx)]);
  },
  GELU: (ctx) => {
    // TensorFlow.js registers the tanh form as "gelu_new" but renames it to "geluNew" on load.
    if (ctx.p.approximate === 'tanh')
      ctx.fail('the tanh approximation of GELU does not load in TensorFlow.js');
    ctx.add('Activation', { activation: 'gelu' }, [first(ctx)]);
  },
  SiLU: activation('swish'),
  Hardswish: (ctx) =>
    ctx.fail('TensorFlow.js has no hard-swish activation (its hardSigmoid is 0.2·x + 0.5)'),
  Hardsigmoid: (ctx) =>
    ctx.fail('TensorFlow.js’ hardSigmoid is 0.2·x + 0.5, not PyTorch’s x/6 + 0.5'),
  Sigmoid: activation('sigmoid'),
  Tanh: activation('tanh'),
  Softmax: (ctx) => {
    const rank = (ctx.layer.inputShapes[0]?.length ?? 0) + 1;
    const a = axis(ctx, ctx.p.dim);
    if (a === rank - 1) return void ctx.add('Softmax', { axis: -1 }, [first(ctx)]);
    // TensorFlow.js takes softmax over the last axis only: swap the axis there and back.
    const dims = Array.from({ length: rank - 1 }, (_, i) =>
      i + 1 === a ? rank - 1 : i + 1 === rank - 1 ? a : i + 1,
    );
    const swapped = ctx.add('Permute', { dims, __suffix: 'to_last' }, [first(ctx)]);
    const soft = ctx.add('Softmax', { axis: -1, __suffix: 'softmax' }, [swapped]);
    ctx.add('Permute', { dims }, [soft]);
  },
  LogSoftmax: (ctx) => ctx.fail('Keras has no log-softmax layer'),
  Dropout: (ctx) => void ctx.add('Dropout', { rate: ctx.p.p }, [first(ctx)]),
  Dropout2d: (ctx) => void ctx.add('Dropout', { rate: ctx.p.p }, [first(ctx)]),
  Flatten: flatten,
  Linear: linear,
  Identity: activation('linear'),
  Upsample: (ctx) => {
    const scale = ctx.p.scale_factor;
    if (ctx.p.mode !== 'nearest' || scale === null || !scale.every(Number.isInteger)) {
      ctx.fail('only nearest upsampling by an integer scale_factor matches Keras UpSampling2D');
    }
    ctx.add(
      'UpSampling2D',
      { size: scale, data_format: 'channels_last', interpolation: 'nearest' },
      [first(ctx)],
    );
  },
  PixelShuffle: (ctx) => {
    // Channel c·r² + i·r + j goes to pixel (h·r + i, w·r + j) of channel c: split, interleave, merge.
    const r = ctx.p.upscale_factor;
    const [c = 0, h = 0, w = 0] = ctx.layer.inputShapes[0] ?? [];
    const split = ctx.add(
      'Reshape',
      { target_shape: [h, w, c / (r * r), r, r], __suffix: 'split' },
      [first(ctx)],
    );
    const interleaved = ctx.add('Permute', { dims: [1, 4, 2, 5, 3], __suffix: 'interleave' }, [
      split,
    ]);
    ctx.add('Reshape', { target_shape: [h * r, w * r, c / (r * r)] }, [interleaved]);
  },
  ChannelShuffle: (ctx) => {
    // Channels last: H×W×C → H×W×g×(C/g), swap the two channel axes, merge them again.
    const g = ctx.p.groups;
    const [c = 0, h = 0, w = 0] = ctx.layer.inputShapes[0] ?? [];
    const grouped = ctx.add('Reshape', { target_shape: [h, w, g, c / g], __suffix: 'grouped' }, [
      first(ctx),
    ]);
    const swapped = ctx.add('Permute', { dims: [1, 2, 4, 3], __suffix: 'swap' }, [grouped]);
    ctx.add('Reshape', { target_shape: [h, w, c] }, [swapped]);
  },
  Slice: (ctx) => ctx.fail('Keras has no layer that keeps a range of channels'),
  ZeroPad2d: (ctx) => {
    const [l = 0, r = 0, t = 0, b = 0] = ctx.p.padding;
    if ([l, r, t, b].every((x) => x >= 0))
      return void zeroPad(ctx, first(ctx), [t, b, l, r], 'zeropad');
    if ([l, r, t, b].every((x) => x <= 0))
      return void ctx.add(
        'Cropping2D',
        {
          cropping: [
            [-t, -b],
            [-l, -r],
          ],
          data_format: 'channels_last',
        },
        [first(ctx)],
      );
    ctx.fail('padding one side while cropping another has no single Keras layer');
  },
  Add: (ctx) => void ctx.add('Add', {}, ctx.inputs),
  // Keras' Multiply broadcasts a 1×1×C gate over H×W×C as PyTorch does over C×H×W.
  Multiply: (ctx) => void ctx.add('Multiply', {}, ctx.inputs),
  Concat: (ctx) => void ctx.add('Concatenate', { axis: axis(ctx, ctx.p.dim) }, ctx.inputs),
};

/** The emitter of a layer type, or undefined for `Input` and unknown types. */
export function kerasEmitterOf(type: string): KerasEmitter | undefined {
  if (!Object.hasOwn(KERAS_EMITTERS, type)) return undefined;
  const emitters: Readonly<Record<string, KerasEmitter>> = KERAS_EMITTERS;
  return emitters[type];
}
