// Convolutions, pooling and Pad: the operators with windows and padding. ONNX pads are
// [x1_begin, x2_begin, x1_end, x2_end] over H and W; PyTorch (and NN Builder) pad both sides of an
// axis alike, so asymmetric pads are refused unless a ZeroPad2d can carry them.
import type { ParamValue } from '../../core/graph/document.js';
import { Refusal, type LayerValue, type Params } from './GraphBuilder.js';
import { valuesOf } from './constTensor.js';
import type { OpContext, OpImporter, PadSpec, PendingPad } from './opContext.js';

type Pads = readonly [number, number, number, number];

/** `5` for [5, 5], else the pair: how a graph document writes an int-or-pair param. */
export const pairParam = (v: readonly number[]): ParamValue =>
  v[0] === v[1] ? (v[0] ?? 0) : [v[0] ?? 0, v[1] ?? 0];

function twoD(values: readonly number[], what: string): [number, number] {
  if (values.length !== 2) {
    throw new Refusal(`only 2-D windows are supported, its ${what} has ${values.length} values`);
  }
  return [values[0] ?? 0, values[1] ?? 0];
}

/** The node's explicit pads, resolving auto_pad (SAME_UPPER/LOWER) against the input size. */
function windowPads(
  ctx: OpContext,
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
): Pads {
  const auto = ctx.attrs.string('auto_pad', 'NOTSET');
  if (auto === 'VALID') return [0, 0, 0, 0];
  if (auto === 'NOTSET' || auto === '') {
    const p = ctx.attrs.ints('pads', [0, 0, 0, 0]);
    if (p.length !== 4) throw new Refusal(`only 2-D windows are supported (pads ${p.join(', ')})`);
    return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 0];
  }
  const [, h = 0, w = 0] = ctx.shapeOf(0);
  const total = [h, w].map((size, i) => {
    const s = strides[i] ?? 1;
    const k = ((kernel[i] ?? 1) - 1) * (dilations[i] ?? 1) + 1;
    return Math.max(0, (Math.ceil(size / s) - 1) * s + k - size);
  });
  const [th = 0, tw = 0] = total;
  const small = (t: number) => (auto === 'SAME_UPPER' ? Math.floor(t / 2) : Math.ceil(t / 2));
  return [small(th), small(tw), th - small(th), tw - small(tw)];
}

function symmetric(pads: Pads, what: string): [number, number] {
  const [t, l, b, r] = pads;
  if (t !== b || l !== r) {
    throw new Refusal(
      `${what} pads top/bottom ${t}/${b} and left/right ${l}/${r}; PyTorch pads both sides alike`,
    );
  }
  return [t, l];
}

const added = (a: Pads, b: Pads): Pads => [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]];
const isZero = (p: Pads) => p.every((v) => v === 0);

/** Conv (2-D, any groups; depthwise when group = channels), with a Pad before it taken in. */
export const conv: OpImporter = (ctx) => {
  const w = ctx.constant(1, 'weight');
  if (w.dims.length !== 4)
    throw new Refusal(`only 2-D convolutions (its weight is ${w.dims.length}-D)`);
  const bias = ctx.node.inputs[2] ? ctx.constant(2, 'bias') : undefined;
  const kernel = twoD(ctx.attrs.ints('kernel_shape', w.dims.slice(2)), 'kernel_shape');
  const stride = twoD(ctx.attrs.ints('strides', [1, 1]), 'strides');
  const dilation = twoD(ctx.attrs.ints('dilations', [1, 1]), 'dilations');
  let pads = windowPads(ctx, kernel, stride, dilation);
  let paddingMode = 'zeros';
  const pending = ctx.value(0);
  let x: LayerValue;
  if (pending?.kind === 'pad' && pending.materialized === undefined && absorbable(ctx, pending)) {
    if (pending.mode === 'constant') pads = added(pads, pending.pads);
    else {
      pads = pending.pads;
      paddingMode = { reflect: 'reflect', edge: 'replicate', wrap: 'circular' }[pending.mode];
    }
    x = pending.source;
  } else x = ctx.layerInput(0);
  const group = ctx.attrs.int('group', 1);
  const params: Record<string, ParamValue> = {
    out_channels: w.dims[0] ?? 0,
    kernel_size: pairParam(kernel),
  };
  if (stride.some((s) => s !== 1)) params.stride = pairParam(stride);
  const padding = symmetric(pads, 'it');
  if (padding.some((p) => p !== 0)) params.padding = pairParam(padding);
  if (dilation.some((d) => d !== 1)) params.dilation = pairParam(dilation);
  if (group !== 1) params.groups = group;
  if (bias === undefined) params.bias = false;
  if (paddingMode !== 'zeros') params.padding_mode = paddingMode;
  return ctx.emit('Conv2d', params, [x], { weight: w, ...(bias && { bias }) });
};

/** Whether a Conv can take the Pad before it: symmetric, and a border mode its padding has. */
function absorbable(ctx: OpContext, pad: PendingPad): boolean {
  if (ctx.readers(ctx.node.inputs[0] ?? '') !== 1) return false;
  const [t, l, b, r] = pad.pads;
  if (t !== b || l !== r) return false;
  if (pad.mode === 'constant') return pad.value === 0;
  return ctx.attrs.ints('pads', []).every((v) => v === 0);
}

export const convTranspose: OpImporter = (ctx) => {
  const w = ctx.constant(1, 'weight');
  if (w.dims.length !== 4)
    throw new Refusal(`only 2-D convolutions (its weight is ${w.dims.length}-D)`);
  if (ctx.attrs.has('output_shape')) throw new Refusal('output_shape has no PyTorch equivalent');
  if (!['NOTSET', ''].includes(ctx.attrs.string('auto_pad', 'NOTSET'))) {
    throw new Refusal('auto_pad has no PyTorch equivalent for transposed convolutions');
  }
  const bias = ctx.node.inputs[2] ? ctx.constant(2, 'bias') : undefined;
  const group = ctx.attrs.int('group', 1);
  const kernel = twoD(ctx.attrs.ints('kernel_shape', w.dims.slice(2)), 'kernel_shape');
  const stride = twoD(ctx.attrs.ints('strides', [1, 1]), 'strides');
  const dilation = twoD(ctx.attrs.ints('dilations', [1, 1]), 'dilations');
  const p = ctx.attrs.ints('pads', [0, 0, 0, 0]);
  const padding = symmetric([p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 0], 'it');
  const outputPadding = twoD(ctx.attrs.ints('output_padding', [0, 0]), 'output_padding');
  const params: Record<string, ParamValue> = {
    out_channels: (w.dims[1] ?? 0) * group,
    kernel_size: pairParam(kernel),
  };
  if (stride.some((s) => s !== 1)) params.stride = pairParam(stride);
  if (padding.some((v) => v !== 0)) params.padding = pairParam(padding);
  if (outputPadding.some((v) => v !== 0)) params.output_padding = pairParam(outputPadding);
  if (dilation.some((d) => d !== 1)) params.dilation = pairParam(dilation);
  if (group !== 1) params.groups = group;
  if (bias === undefined) params.bias = false;
  return ctx.emit('ConvTranspose2d', params, [ctx.layerInput(0)], {
    weight: w,
    ...(bias && { bias }),
  });
};

/** MaxPool and AveragePool; ONNX's stride defaults to 1, PyTorch's to the kernel, so it is written. */
export function pool(op: 'MaxPool' | 'AveragePool'): OpImporter {
  return (ctx) => {
    const kernel = twoD(ctx.attrs.ints('kernel_shape', []), 'kernel_shape');
    const stride = twoD(ctx.attrs.ints('strides', [1, 1]), 'strides');
    const dilation = twoD(ctx.attrs.ints('dilations', [1, 1]), 'dilations');
    let pads = windowPads(ctx, kernel, stride, dilation);
    let countIncludePad = ctx.attrs.int('count_include_pad', 0) === 1;
    const pending = ctx.value(0);
    let x: LayerValue;
    // Zeros padded before an average pool are zeros counted in it: PyTorch's count_include_pad.
    if (
      op === 'AveragePool' &&
      pending?.kind === 'pad' &&
      pending.materialized === undefined &&
      pending.mode === 'constant' &&
      pending.value === 0 &&
      isZero(pads) &&
      ctx.readers(ctx.node.inputs[0] ?? '') === 1 &&
      pending.pads[0] === pending.pads[2] &&
      pending.pads[1] === pending.pads[3] &&
      2 * pending.pads[0] <= kernel[0] &&
      2 * pending.pads[1] <= kernel[1]
    ) {
      pads = pending.pads;
      countIncludePad = true;
      x = pending.source;
    } else x = ctx.layerInput(0);
    const padding = symmetric(pads, 'it');
    const params: Record<string, ParamValue> = {
      kernel_size: pairParam(kernel),
      stride: pairParam(stride),
    };
    if (padding.some((p) => p !== 0)) params.padding = pairParam(padding);
    if (ctx.attrs.int('ceil_mode', 0) === 1) params.ceil_mode = true;
    if (op === 'MaxPool' && dilation.some((d) => d !== 1)) params.dilation = pairParam(dilation);
    if (op === 'AveragePool' && padding.some((p) => p !== 0) && !countIncludePad) {
      params.count_include_pad = false;
    }
    return ctx.emit(op === 'MaxPool' ? 'MaxPool2d' : 'AvgPool2d', params, [x]);
  };
}

/** GlobalAveragePool / GlobalMaxPool: adaptive pooling to 1×1. */
export const globalPool =
  (type: 'AdaptiveAvgPool2d' | 'AdaptiveMaxPool2d'): OpImporter =>
  (ctx) =>
    ctx.emit(type, { output_size: 1 }, [ctx.layerInput(0)]);

/** Pad over H and W only (its pads from an input since opset 11, an attribute before). */
export const pad: OpImporter = (ctx) => {
  const source = ctx.layerInput(0);
  const rank = source.shape.length + 1;
  if (rank !== 4) throw new Refusal(`only C×H×W maps are padded (this input has ${rank - 1} dims)`);
  let all = ctx.node.inputs[1]
    ? valuesOf(ctx.constant(1, 'pads'))
    : [...ctx.attrs.ints('pads', [])];
  const axesInput = ctx.node.inputs[3] ? valuesOf(ctx.constant(3, 'axes')) : undefined;
  if (axesInput !== undefined) {
    const full = Array<number>(2 * rank).fill(0);
    axesInput.forEach((a, i) => {
      const axis = a < 0 ? a + rank : a;
      full[axis] = all[i] ?? 0;
      full[axis + rank] = all[i + axesInput.length] ?? 0;
    });
    all = full;
  }
  const [n0, c0, t = 0, l = 0, n1, c1, b = 0, r = 0] = all;
  if (n0 || c0 || n1 || c1) throw new Refusal('it pads the batch or channel axis');
  if ([t, l, b, r].some((v) => v < 0)) throw new Refusal('negative pads (cropping)');
  const value = ctx.node.inputs[2]
    ? (valuesOf(ctx.constant(2, 'constant_value'))[0] ?? 0)
    : ctx.attrs.float('value', 0);
  const mode = ctx.attrs.string('mode', 'constant');
  if (mode !== 'constant' && mode !== 'reflect' && mode !== 'edge' && mode !== 'wrap') {
    throw new Refusal(`pad mode "${mode}"`);
  }
  const spec: PadSpec = { pads: [t, l, b, r], mode, value };
  return { kind: 'pad', source, node: ctx.node, ...spec };
};

/** A pending Pad as a layer of its own: ZeroPad2d, for zeros; other borders need a Conv after. */
export function materializePad(
  p: PendingPad,
  emit: (type: string, params: Params, sources: readonly LayerValue[]) => LayerValue,
): LayerValue {
  if (p.mode !== 'constant' || p.value !== 0) {
    throw new Refusal(
      p.mode === 'constant'
        ? `it pads with ${p.value}; NN Builder pads with zeros only (ZeroPad2d)`
        : `"${p.mode}" padding is expressible only as a Conv2d padding_mode, and no Conv2d follows it`,
    );
  }
  const [t, l, b, r] = p.pads;
  return emit('ZeroPad2d', { padding: t === l && l === b && b === r ? t : [l, r, t, b] }, [
    p.source,
  ]);
}
