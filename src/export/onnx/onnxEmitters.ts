import type { NodeAnalysis } from '../../core/analysis/analyze.js';
import { samePadding } from '../../core/math/convArithmetic.js';
import type { LayerType, Params } from '../../core/layers/registry.js';
import type { AttributeValue } from './onnxModel.js';

type Pair = readonly [number, number];

/** What an ONNX emitter sees of one layer and how it adds to the graph. */
export interface OnnxContext<P = Readonly<Record<string, unknown>>> {
  readonly layer: NodeAnalysis;
  /** Resolved params (PyTorch defaults applied, pairs normalized). */
  readonly p: P;
  /** Tensor names of the inputs, in port order. */
  readonly inputs: readonly string[];
  /** The layer's output tensor name. */
  readonly output: string;
  /** Name of the initializer holding this layer's state-dict tensor (`weight`, `bias`, …), 2-D ones transposed on request. */
  weight(name: string, transpose?: boolean): string;
  /** A constant initializer. */
  constant(
    suffix: string,
    data: readonly number[],
    type: 'float' | 'int64',
    dims?: readonly number[],
  ): string;
  /** Appends a node; its output is the layer's unless `output` names an intermediate. */
  node(
    opType: string,
    inputs: readonly string[],
    attributes?: Readonly<Record<string, AttributeValue>>,
    output?: string,
  ): string;
  /** An intermediate tensor name unique to this layer. */
  temp(suffix: string): string;
  /** Stops: the layer cannot be expressed in ONNX (names the layer and why). */
  fail(reason: string): never;
}

/**
 * Writes one layer. Declared as a method so it is bivariant in its params: an emitter typed with
 * its own layer's `Params<T>` is looked up by a type name read from the graph, and the analysis
 * hands it exactly the params it resolved from that type's spec.
 */
export type OnnxEmitter<P = Readonly<Record<string, unknown>>> = {
  emit(ctx: OnnxContext<P>): void;
}['emit'];

const ints = (value: readonly number[]): AttributeValue => ({ kind: 'ints', value });
const int = (value: number): AttributeValue => ({ kind: 'int', value });
const float = (value: number): AttributeValue => ({ kind: 'float', value });
const str = (value: string): AttributeValue => ({ kind: 'string', value });
const pair = (v: unknown): Pair => v as Pair;
const first = <P>(ctx: OnnxContext<P>) => ctx.inputs[0] ?? '';

/** ONNX pads are [top, left, bottom, right]. */
function convPads(ctx: OnnxContext<Params<'Conv2d'>>): number[] {
  if (ctx.p.padding === 'same') {
    const k = ctx.p.kernel_size;
    const d = ctx.p.dilation;
    const h = samePadding(k[0], d[0]);
    const w = samePadding(k[1], d[1]);
    return [h.before, w.before, h.after, w.after];
  }
  const pad = ctx.p.padding;
  return [pad[0], pad[1], pad[0], pad[1]];
}

const conv: OnnxEmitter<Params<'Conv2d'>> = (ctx) => {
  let input = first(ctx);
  let pads = convPads(ctx);
  const mode = ctx.p.padding_mode;
  if (mode !== undefined && mode !== 'zeros') {
    if (mode === 'circular')
      ctx.fail(
        'padding_mode "circular" needs ONNX opset 19 (Pad mode "wrap"); NN Builder writes opset 17',
      );
    const [t = 0, l = 0, b = 0, r = 0] = pads;
    const padded = ctx.temp('padded');
    ctx.node(
      'Pad',
      [input, ctx.constant('pads', [0, 0, t, l, 0, 0, b, r], 'int64')],
      { mode: str(mode === 'reflect' ? 'reflect' : 'edge') },
      padded,
    );
    input = padded;
    pads = [0, 0, 0, 0];
  }
  ctx.node(
    'Conv',
    [input, ctx.weight('weight'), ...(ctx.p.bias === false ? [] : [ctx.weight('bias')])],
    {
      kernel_shape: ints(ctx.p.kernel_size),
      strides: ints(ctx.p.stride),
      pads: ints(pads),
      dilations: ints(ctx.p.dilation),
      group: int(ctx.p.groups),
    },
  );
};

const convTranspose: OnnxEmitter<Params<'ConvTranspose2d'>> = (ctx) => {
  const pad = ctx.p.padding;
  ctx.node(
    'ConvTranspose',
    [first(ctx), ctx.weight('weight'), ...(ctx.p.bias === false ? [] : [ctx.weight('bias')])],
    {
      kernel_shape: ints(ctx.p.kernel_size),
      strides: ints(ctx.p.stride),
      pads: ints([pad[0], pad[1], pad[0], pad[1]]),
      dilations: ints(ctx.p.dilation),
      output_padding: ints(ctx.p.output_padding),
      group: int(ctx.p.groups),
    },
  );
};

function pool(op: 'MaxPool' | 'AveragePool'): OnnxEmitter {
  return (ctx) => {
    const k = pair(ctx.p.kernel_size);
    const pad = pair(ctx.p.padding);
    if (op === 'AveragePool' && ctx.p.divisor_override !== null)
      ctx.fail('divisor_override has no ONNX AveragePool equivalent');
    ctx.node(op, [first(ctx)], {
      kernel_shape: ints(k),
      strides: ints(ctx.p.stride === null ? k : pair(ctx.p.stride)),
      pads: ints([pad[0], pad[1], pad[0], pad[1]]),
      ceil_mode: int(ctx.p.ceil_mode ? 1 : 0),
      ...(op === 'MaxPool'
        ? { dilations: ints(pair(ctx.p.dilation)) }
        : { count_include_pad: int(ctx.p.count_include_pad ? 1 : 0) }),
    });
  };
}

/** Adaptive pooling is exact in ONNX only where PyTorch's windows are regular: output divides input. */
function adaptive(
  op: 'MaxPool' | 'AveragePool',
  global: 'GlobalMaxPool' | 'GlobalAveragePool',
): OnnxEmitter {
  return (ctx) => {
    const [, h = 0, w = 0] = ctx.layer.inputShapes[0] ?? [];
    const [, oh = 0, ow = 0] = ctx.layer.outputShape ?? [];
    if (oh === 1 && ow === 1) return void ctx.node(global, [first(ctx)]);
    if (h % oh !== 0 || w % ow !== 0) {
      ctx.fail(
        `its ${h}×${w} → ${oh}×${ow} windows are uneven, and ONNX has no adaptive pooling; choose an output_size that divides the input`,
      );
    }
    const stride = [h / oh, w / ow];
    ctx.node(op, [first(ctx)], { kernel_shape: ints(stride), strides: ints(stride) });
  };
}

const batchNorm: OnnxEmitter<Params<'BatchNorm2d'>> = (ctx) => {
  if (ctx.p.track_running_stats === false) {
    ctx.fail(
      'without running statistics it normalizes with each batch at inference, which ONNX BatchNormalization cannot express',
    );
  }
  const c = ctx.layer.inputShapes[0]?.[0] ?? 0;
  const scale =
    ctx.p.affine === false
      ? ctx.constant('scale', Array(c).fill(1), 'float')
      : ctx.weight('weight');
  const bias =
    ctx.p.affine === false ? ctx.constant('bias', Array(c).fill(0), 'float') : ctx.weight('bias');
  ctx.node(
    'BatchNormalization',
    [first(ctx), scale, bias, ctx.weight('running_mean'), ctx.weight('running_var')],
    {
      epsilon: float(ctx.p.eps),
    },
  );
};

const unary =
  <P>(
    op: string,
    attrs: (ctx: OnnxContext<P>) => Record<string, AttributeValue> = () => ({}),
  ): OnnxEmitter<P> =>
  (ctx) =>
    void ctx.node(op, [first(ctx)], attrs(ctx));

/** GELU (exact): x·½·(1 + erf(x/√2)); tanh form: ½x·(1 + tanh(√(2/π)·(x + 0.044715x³))). Opset 17 has no Gelu. */
const gelu: OnnxEmitter<Params<'GELU'>> = (ctx) => {
  const x = first(ctx);
  const c = (name: string, v: number) => ctx.constant(name, [v], 'float', []);
  let inner: string;
  if (ctx.p.approximate === 'tanh') {
    const cube = ctx.node(
      'Mul',
      [ctx.node('Mul', [x, x], {}, ctx.temp('x2')), x],
      {},
      ctx.temp('x3'),
    );
    const sum = ctx.node(
      'Add',
      [x, ctx.node('Mul', [cube, c('k', 0.044715)], {}, ctx.temp('kx3'))],
      {},
      ctx.temp('sum'),
    );
    inner = ctx.node(
      'Tanh',
      [ctx.node('Mul', [sum, c('s', Math.sqrt(2 / Math.PI))], {}, ctx.temp('scaled'))],
      {},
      ctx.temp('tanh'),
    );
  } else {
    inner = ctx.node(
      'Erf',
      [ctx.node('Div', [x, c('sqrt2', Math.SQRT2)], {}, ctx.temp('div'))],
      {},
      ctx.temp('erf'),
    );
  }
  const onePlus = ctx.node('Add', [inner, c('one', 1)], {}, ctx.temp('one_plus'));
  ctx.node('Mul', [ctx.node('Mul', [x, c('half', 0.5)], {}, ctx.temp('half_x')), onePlus]);
};

const flatten: OnnxEmitter<Params<'Flatten'>> = (ctx) => {
  const out = ctx.layer.outputShape ?? [];
  const whole = (ctx.layer.inputShapes[0]?.length ?? 0) > 0 && out.length === 1;
  if (whole && ctx.p.start_dim === 1)
    return void ctx.node('Flatten', [first(ctx)], { axis: int(1) });
  ctx.node('Reshape', [first(ctx), ctx.constant('shape', [0, ...out], 'int64')]);
};

const linear: OnnxEmitter<Params<'Linear'>> = (ctx) => {
  const bias = ctx.p.bias === false ? [] : [ctx.weight('bias')];
  if ((ctx.layer.inputShapes[0]?.length ?? 0) === 1) {
    return void ctx.node('Gemm', [first(ctx), ctx.weight('weight'), ...bias], { transB: int(1) });
  }
  const product = ctx.node(
    'MatMul',
    [first(ctx), ctx.weight('weight', true)],
    {},
    bias.length ? ctx.temp('matmul') : undefined,
  );
  if (bias.length) ctx.node('Add', [product, ...bias]);
};

const upsample: OnnxEmitter<Params<'Upsample'>> = (ctx) => {
  const mode = ctx.p.mode;
  const align = ctx.p.align_corners === true;
  const [, oh = 0, ow = 0] = ctx.layer.outputShape ?? [];
  const attrs: Record<string, AttributeValue> = {
    mode: str(mode === 'bilinear' ? 'linear' : mode === 'bicubic' ? 'cubic' : 'nearest'),
    coordinate_transformation_mode: str(
      mode === 'nearest' ? 'asymmetric' : align ? 'align_corners' : 'half_pixel',
    ),
    ...(mode === 'nearest' && { nearest_mode: str('floor') }),
    ...(mode === 'nearest-exact' && { nearest_mode: str('round_prefer_ceil') }),
    ...(mode === 'bicubic' && { cubic_coeff_a: float(-0.75) }),
  };
  const scale = ctx.p.scale_factor;
  if (scale !== null) {
    ctx.node(
      'Resize',
      [first(ctx), '', ctx.constant('scales', [1, 1, scale[0], scale[1]], 'float')],
      attrs,
    );
  } else {
    const c = ctx.layer.inputShapes[0]?.[0] ?? 0;
    const batch = ctx.node('Shape', [first(ctx)], { end: int(1) }, ctx.temp('batch'));
    const sizes = ctx.node(
      'Concat',
      [batch, ctx.constant('chw', [c, oh, ow], 'int64')],
      { axis: int(0) },
      ctx.temp('sizes'),
    );
    ctx.node('Resize', [first(ctx), '', '', sizes], attrs);
  }
};

/** A layer type an export writes: every registry type but `Input`, the graph's input. */
type EmittedType = Exclude<LayerType, 'Input'>;

/**
 * The ONNX emitter of every registry type, typed with its layer's resolved params (blocks are
 * expanded). A type ONNX cannot express keeps an entry that calls `ctx.fail` with the reason.
 */
export const ONNX_EMITTERS: { readonly [T in EmittedType]: OnnxEmitter<Params<T>> } = {
  Conv2d: conv,
  ConvTranspose2d: convTranspose,
  MaxPool2d: pool('MaxPool'),
  AvgPool2d: pool('AveragePool'),
  AdaptiveAvgPool2d: adaptive('AveragePool', 'GlobalAveragePool'),
  AdaptiveMaxPool2d: adaptive('MaxPool', 'GlobalMaxPool'),
  BatchNorm2d: batchNorm,
  BatchNorm1d: batchNorm,
  LayerNorm2d: (ctx) => {
    // ONNX normalizes trailing axes: move the channels last (NHWC), normalize, move them back.
    const c = ctx.layer.inputShapes[0]?.[0] ?? 0;
    const last = ctx.node(
      'Transpose',
      [first(ctx)],
      { perm: ints([0, 2, 3, 1]) },
      ctx.temp('nhwc'),
    );
    const affine = ctx.p.elementwise_affine;
    const scale = affine ? ctx.weight('weight') : ctx.constant('scale', Array(c).fill(1), 'float');
    const normalized = ctx.node(
      'LayerNormalization',
      [last, scale, ...(affine ? [ctx.weight('bias')] : [])],
      { axis: int(-1), epsilon: float(ctx.p.eps) },
      ctx.temp('ln'),
    );
    ctx.node('Transpose', [normalized], { perm: ints([0, 3, 1, 2]) });
  },
  ReLU: unary('Relu'),
  ReLU6: (ctx) =>
    void ctx.node('Clip', [
      first(ctx),
      ctx.constant('min', [0], 'float', []),
      ctx.constant('max', [6], 'float', []),
    ]),
  LeakyReLU: unary('LeakyRelu', (ctx) => ({ alpha: float(ctx.p.negative_slope) })),
  ELU: unary('Elu', (ctx) => ({ alpha: float(ctx.p.alpha) })),
  GELU: gelu,
  SiLU: (ctx) =>
    void ctx.node('Mul', [first(ctx), ctx.node('Sigmoid', [first(ctx)], {}, ctx.temp('sigmoid'))]),
  Hardswish: unary('HardSwish'), // opset ≥ 14
  // ONNX's defaults are alpha 0.2 (Keras' slope); PyTorch's is 1/6.
  Hardsigmoid: unary('HardSigmoid', () => ({ alpha: float(1 / 6), beta: float(0.5) })),
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  Softmax: unary('Softmax', (ctx) => ({ axis: int(ctx.p.dim) })),
  LogSoftmax: unary('LogSoftmax', (ctx) => ({ axis: int(ctx.p.dim) })),
  Dropout: unary('Identity'),
  Dropout2d: unary('Identity'),
  Flatten: flatten,
  Linear: linear,
  Identity: unary('Identity'),
  Upsample: upsample,
  PixelShuffle: unary('DepthToSpace', (ctx) => ({
    blocksize: int(ctx.p.upscale_factor),
    mode: str('CRD'),
  })),
  ChannelShuffle: (ctx) => {
    // Reshape to N×g×(C/g)×H×W (0 copies the batch), swap the two channel axes, reshape back.
    const g = ctx.p.groups;
    const [c = 0, h = 0, w = 0] = ctx.layer.inputShapes[0] ?? [];
    const grouped = ctx.node(
      'Reshape',
      [first(ctx), ctx.constant('grouped', [0, g, c / g, h, w], 'int64')],
      {},
      ctx.temp('grouped'),
    );
    const swapped = ctx.node(
      'Transpose',
      [grouped],
      { perm: ints([0, 2, 1, 3, 4]) },
      ctx.temp('t'),
    );
    ctx.node('Reshape', [swapped, ctx.constant('shape', [0, c, h, w], 'int64')]);
  },
  Slice: (ctx) =>
    void ctx.node('Slice', [
      first(ctx),
      ctx.constant('starts', [ctx.p.start], 'int64'),
      ctx.constant('ends', [ctx.p.end], 'int64'),
      ctx.constant('axes', [1], 'int64'),
    ]),
  ZeroPad2d: (ctx) => {
    const [l, r, t, b] = ctx.p.padding;
    ctx.node('Pad', [
      first(ctx),
      ctx.constant('pads', [0, 0, t ?? 0, l ?? 0, 0, 0, b ?? 0, r ?? 0], 'int64'),
    ]);
  },
  Add: (ctx) => void ctx.node('Sum', ctx.inputs),
  Multiply: (ctx) => void ctx.node('Mul', ctx.inputs), // broadcasts N×C×1×1 over N×C×H×W
  Concat: (ctx) => void ctx.node('Concat', ctx.inputs, { axis: int(ctx.p.dim) }),
};

/** The emitter of a layer type, or undefined for `Input` and unknown types. */
export function onnxEmitterOf(type: string): OnnxEmitter | undefined {
  if (!Object.hasOwn(ONNX_EMITTERS, type)) return undefined;
  const emitters: Readonly<Record<string, OnnxEmitter>> = ONNX_EMITTERS;
  return emitters[type];
}
