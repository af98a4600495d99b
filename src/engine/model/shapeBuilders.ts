import tf from '../tfjs.cjs';
import { biasRelu } from './biasRelu.js';
import { addRelu } from './addRelu.js';
import { linearTensors } from '../../core/layers/Linear.js';
import type { Pad4 } from '../../core/params/paramSpec.js';
import type { Pair } from '../../core/shape.js';
import { weightSpecs } from './weightSpecs.js';
import type { BuildArgs, BuiltLayer } from './LayerBuilder.js';
import { fromTorchOrder, ourAxis, toTorchOrder } from './layout.js';
import { resampleAxis, resampleTaps, type ResampleMode } from './resample.js';

/**
 * Flatten in PyTorch's C×H×W order (not tfjs's H×W×C), so the following Linear's weights line up
 * with a PyTorch model's: back to NCHW, reshape, and to NHWC again if the result is a map.
 */
export function buildFlatten({ outputShape }: BuildArgs): BuiltLayer {
  return {
    weights: [],
    apply([x]) {
      const t = x as tf.Tensor;
      return fromTorchOrder(tf.reshape(toTorchOrder(t), [-1, ...outputShape]));
    },
  };
}

export function buildLinear({
  params,
  inputShapes,
  outputShape,
}: BuildArgs<{ out_features: number; bias: boolean }>): BuiltLayer {
  const input = inputShapes[0] ?? [];
  const inFeatures = input[input.length - 1] ?? 1;
  return {
    weights: weightSpecs(linearTensors(params, input), 'linear'),
    apply([x], w, ctx) {
      const t = x as tf.Tensor;
      // On L×F (or any rank) inputs Linear maps the last PyTorch dim, as nn.Linear does.
      const flat = t.rank === 2 ? t : tf.reshape(toTorchOrder(t), [-1, inFeatures]);
      const y = tf.matMul(flat as tf.Tensor2D, w.weight as tf.Tensor2D);
      // With the ReLU after it fused (CompiledModel, training): relu(y + bias) in one op.
      const biased = ctx.fuseRelu === true ? biasRelu(y, w.bias) : w.bias ? tf.add(y, w.bias) : y;
      return t.rank === 2 ? biased : fromTorchOrder(tf.reshape(biased, [-1, ...outputShape]));
    },
  };
}

interface UpsampleParams {
  size: Pair | null;
  scale_factor: Pair | null;
  mode: ResampleMode;
  align_corners: boolean | null;
}

/** Upsample as exact separable gathers with aten's source indices and weights, for every mode. */
export function buildUpsample({
  params: p,
  inputShapes,
  outputShape,
}: BuildArgs<UpsampleParams>): BuiltLayer {
  const [, h, w] = inputShapes[0] as [number, number, number];
  const [, oh, ow] = outputShape as [number, number, number];
  const align = p.align_corners ?? false;
  const tapsH = resampleTaps(p.mode, h, oh, p.scale_factor?.[0] ?? null, align);
  const tapsW = resampleTaps(p.mode, w, ow, p.scale_factor?.[1] ?? null, align);
  return {
    weights: [],
    apply: ([x]) => resampleAxis(resampleAxis(x as tf.Tensor, 1, tapsH), 2, tapsW),
  };
}

/** out[c, h·r + i, w·r + j] = in[c·r² + i·r + j, h, w] (nn.PixelShuffle), in NHWC. */
export function buildPixelShuffle({
  params,
  outputShape,
}: BuildArgs<{ upscale_factor: number }>): BuiltLayer {
  const r = params.upscale_factor;
  const [c, oh, ow] = outputShape as [number, number, number];
  return {
    weights: [],
    apply([x]) {
      const [n, h, w] = (x as tf.Tensor4D).shape;
      const split = tf.reshape(x as tf.Tensor, [n, h, w, c, r, r]);
      return tf.reshape(tf.transpose(split, [0, 1, 4, 2, 5, 3]), [n, oh, ow, c]);
    },
  };
}

/** out channel i·g + j = in channel j·(C/g) + i (nn.ChannelShuffle), on the last axis of NHWC. */
export function buildChannelShuffle({
  params,
  outputShape,
}: BuildArgs<{ groups: number }>): BuiltLayer {
  const g = params.groups;
  const c = outputShape[0] ?? 0;
  return {
    weights: [],
    apply([x]) {
      const [n, h, w] = (x as tf.Tensor4D).shape;
      const grouped = tf.reshape(x as tf.Tensor, [n, h, w, g, c / g]);
      return tf.reshape(tf.transpose(grouped, [0, 1, 2, 4, 3]), [n, h, w, c]);
    },
  };
}

/** x[:, start:end]: channels are NHWC's last axis, features a flat input's second. */
export function buildSlice({ params }: BuildArgs<{ start: number; end: number }>): BuiltLayer {
  return {
    weights: [],
    apply([x]) {
      const t = x as tf.Tensor;
      const begin = t.shape.map((_, i) => (i === t.rank - 1 ? params.start : 0));
      const size = t.shape.map((d, i) => (i === t.rank - 1 ? params.end - params.start : d));
      return tf.slice(t, begin, size);
    },
  };
}

/** padding is [left, right, top, bottom]; negative values crop, as nn.ZeroPad2d. */
export function buildZeroPad2d({ params }: BuildArgs<{ padding: Pad4 }>): BuiltLayer {
  const [l, r, t, b] = params.padding;
  const pos = (v: number): number => Math.max(v, 0);
  const neg = (v: number): number => Math.max(-v, 0);
  return {
    weights: [],
    apply([x]) {
      const padded = tf.pad(x as tf.Tensor4D, [
        [0, 0],
        [pos(t), pos(b)],
        [pos(l), pos(r)],
        [0, 0],
      ]);
      const [n, h, w, c] = padded.shape;
      return padded.slice([0, neg(t), neg(l), 0], [n, h - neg(t) - neg(b), w - neg(l) - neg(r), c]);
    },
  };
}

export const buildAdd = (): BuiltLayer => ({
  weights: [],
  apply: (inputs, _w, ctx) => {
    // The ReLU after it, fused (CompiledModel.apply): one pass each way for a residual join.
    if (ctx.fuseRelu === true && inputs.length === 2) {
      return addRelu(inputs[0] as tf.Tensor, inputs[1] as tf.Tensor);
    }
    const sum = inputs.length === 1 ? (inputs[0] as tf.Tensor) : tf.addN(inputs as tf.Tensor[]);
    return ctx.fuseRelu === true ? tf.relu(sum) : sum;
  },
});

/** x₀·x₁; NHWC broadcasts a N×1×1×C gate over H×W, and tf.mul's gradient sums it back. */
export const buildMultiply = (): BuiltLayer => ({
  weights: [],
  apply: ([a, b]) => tf.mul(a as tf.Tensor, b as tf.Tensor),
});

export const buildConcat = ({ params }: BuildArgs<{ dim: number }>): BuiltLayer => ({
  weights: [],
  apply: (inputs) => tf.concat(inputs as tf.Tensor[], ourAxis(params.dim, inputs[0]?.rank ?? 2)),
});
