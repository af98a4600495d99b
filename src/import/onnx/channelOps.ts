// Importers of the operators that pick, reorder or reduce channels: Split and Slice into Slice
// layers, the Reshape → Transpose → Reshape of a channel shuffle into ChannelShuffle, and
// ReduceMean over H and W into a global average pool.
import { Refusal, type LayerValue } from './GraphBuilder.js';
import { valuesOf, type ConstTensor } from './constTensor.js';
import type { GroupedView, OpContext, Value } from './opContext.js';

/** An axis of the batched tensor (negative counts from the end) as a positive index. */
const positiveAxis = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

/** The index range [start, end) a Slice selects of `size` elements, as ONNX clamps it. */
function clampRange(start: number, end: number, size: number): [number, number] {
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  return [clamp(start), clamp(end)];
}

/** A Slice layer keeping channels (or features) [start, end) of `x`; the whole range is `x`. */
function channelSlice(ctx: OpContext, x: LayerValue, start: number, end: number): LayerValue {
  const size = x.shape[0] ?? 0;
  if (start === 0 && end === size) return x;
  if (end <= start) throw new Refusal(`it keeps no channels (${start} to ${end})`);
  return ctx.emit('Slice', { start, end }, [x]) as LayerValue;
}

/** The channel axis check shared by Split and Slice: axis 1 of a C×H×W map or a flat vector. */
function requireChannelAxis(x: LayerValue, axis: number, what: string): void {
  const rank = x.shape.length + 1;
  const a = positiveAxis(axis, rank);
  if (a !== 1 || (rank !== 4 && rank !== 2)) {
    throw new Refusal(
      `it ${what} axis ${axis} of a ${x.shape.join('×')} tensor; only the channels (axis 1) of a ` +
        'C×H×W map or the features of a flat vector become layers (Slice)',
    );
  }
}

/**
 * Split along the channels: one Slice per output that is read (torch.chunk / torch.split).
 * The sizes come from the `split` input (opset ≥ 13), the attribute (before 13), or equal
 * parts (num_outputs since opset 18, else the number of outputs).
 */
export const split = (ctx: OpContext): Value[] => {
  const x = ctx.layerInput(0);
  requireChannelAxis(x, ctx.attrs.int('axis', 0), 'splits');
  const size = x.shape[0] ?? 0;
  const outputs = ctx.node.outputs;
  let sizes: number[];
  if (ctx.node.inputs[1]) sizes = valuesOf(ctx.constant(1, 'split sizes'));
  else if (ctx.attrs.has('split')) sizes = [...ctx.attrs.ints('split', [])];
  else {
    const parts = ctx.attrs.int('num_outputs', outputs.length);
    const each = Math.ceil(size / parts);
    sizes = Array.from({ length: parts }, (_, i) => Math.max(0, Math.min(each, size - i * each)));
  }
  if (sizes.length !== outputs.length || sizes.reduce((a, b) => a + b, 0) !== size) {
    throw new Refusal(
      `its ${outputs.length} outputs of sizes ${sizes.join(', ')} do not split ${size} channels`,
    );
  }
  let start = 0;
  return outputs.map((name, i) => {
    const end = start + (sizes[i] ?? 0);
    const value: Value =
      name !== '' && ctx.readers(name) > 0 ? channelSlice(ctx, x, start, end) : { kind: 'unknown' };
    start = end;
    return value;
  });
};

/** Slice with step 1 along the channels (x[:, a:b]); the inputs are constants since opset 10. */
export const slice = (ctx: OpContext): Value => {
  const x = ctx.layerInput(0);
  const starts = valuesOf(ctx.constant(1, 'starts'));
  const ends = valuesOf(ctx.constant(2, 'ends'));
  const axes = ctx.node.inputs[3] ? valuesOf(ctx.constant(3, 'axes')) : starts.map((_, i) => i);
  const steps = ctx.node.inputs[4] ? valuesOf(ctx.constant(4, 'steps')) : starts.map(() => 1);
  if (starts.length !== 1 || ends.length !== 1 || axes.length !== 1) {
    throw new Refusal(`it slices ${axes.length} axes at once; Slice keeps a range of channels`);
  }
  if (steps[0] !== 1) throw new Refusal(`it takes every ${steps[0]}th element (step ≠ 1)`);
  requireChannelAxis(x, axes[0] ?? 0, 'slices');
  const [start, end] = clampRange(starts[0] ?? 0, ends[0] ?? 0, x.shape[0] ?? 0);
  return channelSlice(ctx, x, start, end);
};

/**
 * Reshape of a C×H×W map to g×(C/g)×H×W: the first step of a channel shuffle (a view until the
 * Reshape back); of a swapped view back to C×H×W: the ChannelShuffle layer. Undefined otherwise.
 */
export function groupedReshape(ctx: OpContext, target: readonly number[]): Value | undefined {
  const v = ctx.value(0);
  if (v?.kind === 'view') {
    const [c = 0, h = 0, w = 0] = v.source.shape;
    const back = target.length === 3 && target[0] === c && target[1] === h && target[2] === w;
    if (v.swapped && back) return ctx.emit('ChannelShuffle', { groups: v.groups }, [v.source]);
    if (!v.swapped && back) return v.source;
    throw new Refusal(
      `it reshapes the ${v.groups}×${c / v.groups}×${h}×${w} view of a ${c}×${h}×${w} map to ` +
        `${target.join('×')}; only a channel shuffle (transpose the groups, reshape back) is a layer`,
    );
  }
  if (v?.kind !== 'layer' && v?.kind !== 'pad') return undefined;
  const x = ctx.layerInput(0);
  const [c = 0, h = 0, w = 0] = x.shape;
  const [g = 0, perGroup = 0, th, tw] = target;
  if (x.shape.length !== 3 || target.length !== 4 || th !== h || tw !== w || g * perGroup !== c) {
    return undefined;
  }
  const view: GroupedView = { kind: 'view', source: x, groups: g, swapped: false, node: ctx.node };
  return view;
}

/** The dims of a view after the batch: g×(C/g)×H×W, or (C/g)×g×H×W once swapped. */
export function viewShape(v: GroupedView): number[] {
  const [c = 0, h = 0, w = 0] = v.source.shape;
  const groups = [v.groups, c / v.groups];
  return [...(v.swapped ? groups.reverse() : groups), h, w];
}

/** Transpose: the channel shuffle's swap of its two channel axes, or a permutation that keeps all. */
export const transpose = (ctx: OpContext): Value => {
  const v = ctx.value(0);
  const perm = ctx.attrs.ints('perm', []);
  if (v?.kind === 'view' && !v.swapped && perm.join() === '0,2,1,3,4') {
    return { ...v, swapped: true, node: ctx.node };
  }
  if (v?.kind === 'nhwc' && perm.join() === '0,3,1,2') return v.source;
  if ((v?.kind === 'layer' || v?.kind === 'pad') && perm.join() === '0,2,3,1') {
    const x = ctx.layerInput(0);
    if (x.shape.length === 3) return { kind: 'nhwc', source: x, node: ctx.node };
  }
  const shape =
    v?.kind === 'view'
      ? viewShape(v)
      : v?.kind === 'nhwc'
        ? [v.source.shape[1] ?? 0, v.source.shape[2] ?? 0, v.source.shape[0] ?? 0]
        : ctx.shapeOf(0);
  if (v?.kind !== 'view' && v?.kind !== 'nhwc' && perm.every((p, i) => p === i)) {
    return ctx.layerInput(0);
  }
  throw new Refusal(
    `it permutes the axes of a ${shape.join('×')} tensor as (${perm.join(', ')}); only the ` +
      'channel shuffle pattern (Reshape to g×(C/g)×H×W, Transpose (0, 2, 1, 3, 4), Reshape back) is a layer',
  );
};

/** ReduceMean over H and W: a global average pool (AdaptiveAvgPool2d(1)), flattened unless keepdims. */
export const reduceMean = (ctx: OpContext): Value => {
  const x = ctx.layerInput(0);
  const rank = x.shape.length + 1;
  const axes = ctx.node.inputs[1]
    ? valuesOf(ctx.constant(1, 'axes'))
    : [...ctx.attrs.ints('axes', [])];
  const spatial = axes.map((a) => positiveAxis(a, rank)).sort();
  if (rank !== 4 || spatial.join() !== '2,3') {
    throw new Refusal(
      `it averages axes (${axes.join(', ')}) of a ${x.shape.join('×')} tensor; only the mean over ` +
        'H and W (x.mean([2, 3])) is a layer (AdaptiveAvgPool2d(1))',
    );
  }
  const pooled = ctx.emit('AdaptiveAvgPool2d', { output_size: 1 }, [x]) as LayerValue;
  return ctx.attrs.int('keepdims', 1) === 1 ? pooled : ctx.emit('Flatten', {}, [pooled]);
};

/**
 * LayerNormalization over the last axis of a channels-last map (torchvision's LayerNorm2d as
 * PyTorch writes it from opset 17): LayerNorm2d, still channels-last until the Transpose back.
 * A scale of ones without a bias is elementwise_affine=False (how NN Builder exports it).
 */
export const layerNormalization = (ctx: OpContext): Value => {
  const v = ctx.value(0);
  const axis = ctx.attrs.int('axis', -1);
  if (v?.kind !== 'nhwc' || (axis !== -1 && axis !== 3)) {
    const shape = v?.kind === 'nhwc' ? ['H', 'W', 'C'] : ctx.shapeOf(0);
    throw new Refusal(
      `it normalizes from axis ${axis} of a ${shape.join('×')} tensor; only the channels of a ` +
        'map moved last (Transpose (0, 2, 3, 1) before it) are a layer (LayerNorm2d)',
    );
  }
  const c = v.source.shape[0] ?? 0;
  const scale = ctx.constant(1, 'scale');
  const bias = ctx.node.inputs[2] ? ctx.constant(2, 'bias') : undefined;
  if (scale.data.length !== c || (bias !== undefined && bias.data.length !== c)) {
    throw new Refusal(`its scale or bias does not have the ${c} values of the channels`);
  }
  const eps = Number(ctx.attrs.float('epsilon', 1e-5).toPrecision(7));
  const plain = bias === undefined && scale.data.every((x) => x === 1);
  const weights: Readonly<Record<string, ConstTensor>> = plain
    ? {}
    : {
        weight: { dims: [c], type: 'float' as const, data: scale.data },
        bias: bias ?? { dims: [c], type: 'float' as const, data: new Float32Array(c) },
      };
  const out = ctx.emit(
    'LayerNorm2d',
    { ...(eps !== 1e-5 && { eps }), ...(plain && { elementwise_affine: false }) },
    [v.source],
    weights,
  ) as LayerValue;
  return { kind: 'nhwc', source: out, node: ctx.node };
};
