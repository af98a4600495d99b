import tf from '../tfjs.cjs';
import { biasRelu } from './biasRelu.js';
import type { Pad4, Padding } from '../../core/params/paramSpec.js';
import type { Pair } from '../../core/shape.js';
import { conv2dTensors } from '../../core/layers/Conv2d.js';
import { convTranspose2dTensors } from '../../core/layers/ConvTranspose2d.js';
import type { BuildArgs, BuiltLayer } from './LayerBuilder.js';
import { weightSpecs } from './weightSpecs.js';

interface ConvParams {
  out_channels: number;
  kernel_size: Pair;
  stride: Pair;
  padding: Padding;
  dilation: Pair;
  groups: number;
  bias: boolean;
  padding_mode: 'zeros' | 'reflect' | 'replicate' | 'circular';
}

interface ConvTransposeParams {
  out_channels: number;
  kernel_size: Pair;
  stride: Pair;
  padding: Pair;
  output_padding: Pair;
  groups: number;
  bias: boolean;
  dilation: Pair;
}

/**
 * Inserts d−1 zeros between kernel taps: a dilated conv becomes a plain conv whose gradient every
 * tfjs backend implements (tfjs has none for dilation > 1). Built from concat/reshape/slice, so the
 * gradient flows back to the compact kernel.
 */
export function dilateKernel(k: tf.Tensor4D, [dh, dw]: Pair): tf.Tensor4D {
  let out = k;
  if (dh > 1) {
    const [kh, kw, i, o] = out.shape;
    const spaced = tf.concat([out.expandDims(1), tf.zeros([kh, dh - 1, kw, i, o])], 1);
    out = spaced
      .reshape([kh * dh, kw, i, o])
      .slice(0, [(kh - 1) * dh + 1, kw, i, o]) as tf.Tensor4D;
  }
  if (dw > 1) {
    const [kh, kw, i, o] = out.shape;
    const spaced = tf.concat([out.expandDims(2), tf.zeros([kh, kw, dw - 1, i, o])], 2);
    out = spaced
      .reshape([kh, kw * dw, i, o])
      .slice(0, [kh, (kw - 1) * dw + 1, i, o]) as tf.Tensor4D;
  }
  return out;
}

/** Pads H and W of an NHWC map by [top, bottom, left, right] the way PyTorch's padding_mode does. */
export function padSpatial(
  x: tf.Tensor4D,
  [top, bottom, left, right]: Pad4,
  mode: ConvParams['padding_mode'],
): tf.Tensor4D {
  if (top === 0 && bottom === 0 && left === 0 && right === 0) return x;
  const paddings: [number, number][] = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
  if (mode === 'zeros') return tf.pad(x, paddings);
  if (mode === 'reflect') return tf.mirrorPad(x, paddings, 'reflect') as tf.Tensor4D;
  // replicate repeats the edge row/column; circular wraps around: both are slices + concat.
  const alongAxis = (t: tf.Tensor4D, axis: 1 | 2, before: number, after: number): tf.Tensor4D => {
    const size = t.shape[axis];
    const rows = (start: number, count: number): tf.Tensor4D => {
      const begin = [0, 0, 0, 0];
      const sz = [-1, -1, -1, -1];
      begin[axis] = start;
      sz[axis] = count;
      return t.slice(begin, sz);
    };
    const parts: tf.Tensor4D[] = [];
    if (mode === 'replicate') {
      for (let i = 0; i < before; i++) parts.push(rows(0, 1));
      parts.push(t);
      for (let i = 0; i < after; i++) parts.push(rows(size - 1, 1));
    } else {
      if (before > 0) parts.push(rows(size - before, before));
      parts.push(t);
      if (after > 0) parts.push(rows(0, after));
    }
    return parts.length === 1 ? t : tf.concat(parts, axis);
  };
  return alongAxis(alongAxis(x, 1, top, bottom), 2, left, right);
}

/**
 * Runs `conv` once per group (tfjs has no `groups`, tfjs#3900) on matching channel slices: the
 * input's channels, and the kernel's last axis (out channels of a conv, in channels of a
 * transposed conv's [kh, kw, out, in] filter).
 */
function grouped(
  x: tf.Tensor4D,
  k: tf.Tensor4D,
  groups: number,
  conv: (x: tf.Tensor4D, k: tf.Tensor4D) => tf.Tensor4D,
): tf.Tensor4D {
  if (groups === 1) return conv(x, k);
  const xs = tf.split(x, groups, 3);
  const ks = tf.split(k, groups, 3);
  return tf.concat(
    xs.map((xi, g) => conv(xi as tf.Tensor4D, ks[g] as tf.Tensor4D)),
    3,
  ) as tf.Tensor4D;
}

export function buildConv2d({ params: p, inputShapes }: BuildArgs<ConvParams>): BuiltLayer {
  const cin = inputShapes[0]?.[0] ?? 1;
  const [kh, kw] = p.kernel_size;
  const [dh, dw] = p.dilation;
  const pads: Pad4 =
    p.padding === 'same'
      ? [
          Math.floor((dh * (kh - 1)) / 2),
          dh * (kh - 1) - Math.floor((dh * (kh - 1)) / 2),
          Math.floor((dw * (kw - 1)) / 2),
          dw * (kw - 1) - Math.floor((dw * (kw - 1)) / 2),
        ]
      : [p.padding[0], p.padding[0], p.padding[1], p.padding[1]];
  const depthwise = p.groups > 1 && p.groups === cin;
  const stride: [number, number] = [p.stride[0], p.stride[1]];
  return {
    weights: weightSpecs(conv2dTensors(p, inputShapes[0] ?? []), 'conv'),
    apply([input], w, ctx) {
      // With the ReLU after it fused (CompiledModel, training): relu(conv + bias) in one op.
      const finish = (y: tf.Tensor4D): tf.Tensor =>
        ctx.fuseRelu === true ? biasRelu(y, w.bias) : w.bias ? tf.add(y, w.bias) : y;
      const k = dilateKernel(w.weight as tf.Tensor4D, p.dilation);
      if (!depthwise && p.groups === 1 && p.padding_mode === 'zeros') {
        // Zero padding inside the conv kernel: no PadV2 over the input (and no Slice in the
        // gradient). Not tf.fused.conv2d for the bias: its custom gradient always computes the
        // input's gradient, a whole Conv2DBackpropInput wasted on a first layer.
        const [top, bottom, left, right] = pads;
        const y = tf.conv2d(input as tf.Tensor4D, k, stride, [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ]);
        return finish(y);
      }
      const x = padSpatial(input as tf.Tensor4D, pads, p.padding_mode);
      let y: tf.Tensor4D;
      if (depthwise) {
        // Output channel o = c·m + j of a depthwise conv is tfjs's channel-multiplier order too.
        const [h, wd] = k.shape;
        const dk = k.reshape([h, wd, cin, p.out_channels / cin]) as tf.Tensor4D;
        y = tf.depthwiseConv2d(x, dk, stride, 'valid');
      } else {
        y = grouped(x, k, p.groups, (xi, ki) => tf.conv2d(xi, ki, stride, 'valid'));
      }
      return finish(y);
    },
  };
}

export function buildConvTranspose2d({
  params: p,
  inputShapes,
  outputShape,
}: BuildArgs<ConvTransposeParams>): BuiltLayer {
  const [, outH, outW] = outputShape as [number, number, number];
  const stride: [number, number] = [p.stride[0], p.stride[1]];
  const perGroupOut = p.out_channels / p.groups;
  return {
    weights: weightSpecs(convTranspose2dTensors(p, inputShapes[0] ?? []), 'conv'),
    apply([input], w) {
      const x = input as tf.Tensor4D;
      const [n, h, wd] = x.shape;
      const k = dilateKernel(w.weight as tf.Tensor4D, p.dilation);
      // The full transposed conv, (H−1)·s + k_eff rows, then PyTorch's crop: rows
      // [padding, padding + H_out); output_padding rows past the full output are zeros (+ bias).
      const fullH = (h - 1) * stride[0] + k.shape[0];
      const fullW = (wd - 1) * stride[1] + k.shape[1];
      const full = grouped(x, k, p.groups, (xi, ki) =>
        tf.conv2dTranspose(xi, ki, [n, fullH, fullW, perGroupOut], stride, 'valid'),
      );
      const [pt, pl] = p.padding;
      const extraH = Math.max(0, pt + outH - fullH);
      const extraW = Math.max(0, pl + outW - fullW);
      const padded =
        extraH + extraW > 0
          ? tf.pad(full, [
              [0, 0],
              [0, extraH],
              [0, extraW],
              [0, 0],
            ])
          : full;
      const y = padded.slice([0, pt, pl, 0], [-1, outH, outW, -1]);
      return w.bias ? tf.add(y, w.bias) : y;
    },
  };
}
