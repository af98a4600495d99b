import tf from '../tfjs.cjs';
import type { SizePair } from '../../core/params/paramSpec.js';
import type { Pair } from '../../core/shape.js';
import type { BuildArgs, BuiltLayer } from './LayerBuilder.js';

interface MaxPoolParams {
  kernel_size: Pair;
  stride: Pair | null;
  padding: Pair;
  dilation: Pair;
  ceil_mode: boolean;
}

interface AvgPoolParams {
  kernel_size: Pair;
  stride: Pair | null;
  padding: Pair;
  ceil_mode: boolean;
  count_include_pad: boolean;
  divisor_override: number | null;
}

/**
 * [before, after] padding of one axis so that a 'valid' pool yields at least `out` windows:
 * PyTorch's `padding` on both sides, plus on the far side whatever ceil_mode's partial last window
 * reaches. The result is then cut to exactly `out` windows. (tfjs's own ceil rounding gives wrong
 * gradients on CPU and wrong values on WASM: ENGINE-NOTES.)
 */
function poolPadding(size: number, out: number, k: number, s: number, p: number): [number, number] {
  const needed = (out - 1) * s + k;
  return [p, Math.max(p, needed - size - p)];
}

function padAndCut(
  x: tf.Tensor4D,
  pads: readonly [[number, number], [number, number]],
  value: number,
): tf.Tensor4D {
  const [[t, b], [l, r]] = pads;
  if (t + b + l + r === 0) return x;
  return tf.pad(
    x,
    [
      [0, 0],
      [t, b],
      [l, r],
      [0, 0],
    ],
    value,
  );
}

export function buildMaxPool2d({
  params: p,
  inputShapes,
  outputShape,
}: BuildArgs<MaxPoolParams>): BuiltLayer {
  const [, h, w] = inputShapes[0] as [number, number, number];
  const [, oh, ow] = outputShape as [number, number, number];
  const [kh, kw] = p.kernel_size;
  const [dh, dw] = p.dilation;
  const [sh, sw] = p.stride ?? p.kernel_size;
  const pads = [
    poolPadding(h, oh, dh * (kh - 1) + 1, sh, p.padding[0]),
    poolPadding(w, ow, dw * (kw - 1) + 1, sw, p.padding[1]),
  ] as const;
  return {
    weights: [],
    apply([input]) {
      // −∞ padding, as PyTorch: a padded cell never wins the max.
      const x = padAndCut(input as tf.Tensor4D, pads, -Infinity);
      let y: tf.Tensor4D;
      if (dh === 1 && dw === 1) {
        y = tf.maxPool(x, [kh, kw], [sh, sw], 'valid');
      } else {
        // A dilated window is k_h·k_w taps d apart: the max of that many strided views of x
        // (tf.pool's dilation path mis-shapes some gradients and takes no stride).
        const [, ph, pw] = x.shape;
        let max: tf.Tensor4D | null = null;
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const rows = Math.min((oh - 1) * sh + 1, ph - i * dh);
            const cols = Math.min((ow - 1) * sw + 1, pw - j * dw);
            const view = x.slice([0, i * dh, j * dw, 0], [-1, rows, cols, -1]);
            const tap = everyNth(everyNth(view, 1, sh, oh), 2, sw, ow);
            max = max === null ? tap : tf.maximum(max, tap);
          }
        }
        y = max as tf.Tensor4D;
      }
      // ceil_mode's padding may leave windows past the output: drop them (a no-op otherwise).
      return y.shape[1] === oh && y.shape[2] === ow ? y : y.slice([0, 0, 0, 0], [-1, oh, ow, -1]);
    },
  };
}

/**
 * Rows 0, s, 2s, … (`count` of them) of axis 1 or 2, via pad + reshape + slice: StridedSlice has
 * no gradient in tfjs, while these do on every backend.
 */
function everyNth(t: tf.Tensor4D, axis: 1 | 2, s: number, count: number): tf.Tensor4D {
  if (s === 1) return t.slice([0, 0, 0, 0], axis === 1 ? [-1, count, -1, -1] : [-1, -1, count, -1]);
  const size = t.shape[axis];
  const need = count * s;
  const pads: [number, number][] = [
    [0, 0],
    [0, 0],
    [0, 0],
    [0, 0],
  ];
  pads[axis] = [0, Math.max(0, need - size)];
  const padded = tf
    .pad(t, pads)
    .slice([0, 0, 0, 0], axis === 1 ? [-1, need, -1, -1] : [-1, -1, need, -1]);
  const [n, h, w, c] = padded.shape;
  const split = axis === 1 ? [n, count, s, w, c] : [n, h, count, s, c];
  const keep = [...split];
  keep[axis + 1] = 1;
  const picked = tf.reshape(padded, split).slice([0, 0, 0, 0, 0], keep);
  return tf.reshape(picked, axis === 1 ? [n, count, w, c] : [n, h, count, c]) as tf.Tensor4D;
}

/** PyTorch's divisor of each output window (aten avg_pool2d), as a [1, H_out, W_out, 1] map. */
function avgDivisors(
  [h, w]: Pair,
  [oh, ow]: Pair,
  [kh, kw]: Pair,
  [sh, sw]: Pair,
  [ph, pw]: Pair,
  p: AvgPoolParams,
): Float32Array {
  const out = new Float32Array(oh * ow);
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      let hs = i * sh - ph;
      let ws = j * sw - pw;
      let he = Math.min(hs + kh, h + ph);
      let we = Math.min(ws + kw, w + pw);
      const poolSize = (he - hs) * (we - ws);
      hs = Math.max(hs, 0);
      ws = Math.max(ws, 0);
      he = Math.min(he, h);
      we = Math.min(we, w);
      out[i * ow + j] =
        p.divisor_override ?? (p.count_include_pad ? poolSize : (he - hs) * (we - ws));
    }
  }
  return out;
}

export function buildAvgPool2d({
  params: p,
  inputShapes,
  outputShape,
}: BuildArgs<AvgPoolParams>): BuiltLayer {
  const [, h, w] = inputShapes[0] as [number, number, number];
  const [, oh, ow] = outputShape as [number, number, number];
  const [kh, kw] = p.kernel_size;
  const stride = p.stride ?? p.kernel_size;
  const pads = [
    poolPadding(h, oh, kh, stride[0], p.padding[0]),
    poolPadding(w, ow, kw, stride[1], p.padding[1]),
  ] as const;
  const divisors = avgDivisors([h, w], [oh, ow], p.kernel_size, stride, p.padding, p);
  // avgPool over the zero-padded map divides every window by kh·kw; rescale to PyTorch's divisor.
  const scale = divisors.map((d) => (kh * kw) / d);
  const uniform = scale.every((s) => s === 1);
  return {
    weights: [],
    apply([input]) {
      const x = padAndCut(input as tf.Tensor4D, pads, 0);
      const y = tf
        .avgPool(x, [kh, kw], [stride[0], stride[1]], 'valid')
        .slice([0, 0, 0, 0], [-1, oh, ow, -1]);
      return uniform ? y : tf.mul(y, tf.tensor4d(scale, [1, oh, ow, 1]));
    },
  };
}

/** Adaptive pooling cell i covers input rows ⌊i·H/H_out⌋ … ⌈(i+1)·H/H_out⌉ − 1 (aten). */
function adaptiveRanges(size: number, out: number): [number, number][] {
  return Array.from({ length: out }, (_, i) => [
    Math.floor((i * size) / out),
    Math.ceil(((i + 1) * size) / out),
  ]);
}

function buildAdaptive(kind: 'avg' | 'max') {
  return ({ inputShapes, outputShape }: BuildArgs<{ output_size: SizePair }>): BuiltLayer => {
    const [, h, w] = inputShapes[0] as [number, number, number];
    const [, oh, ow] = outputShape as [number, number, number];
    const reduce = (t: tf.Tensor, axis: number): tf.Tensor =>
      kind === 'avg' ? tf.mean(t, axis, true) : tf.max(t, axis, true);
    // Both reductions are separable (a rectangle's max/mean is the max/mean of its rows' values
    // when every row has the same width), so pool rows, then columns.
    const alongAxis = (t: tf.Tensor, axis: 1 | 2, size: number, out: number): tf.Tensor => {
      if (size === out) return t;
      if (out === 1) return reduce(t, axis);
      const cells = adaptiveRanges(size, out).map(([start, end]) => {
        const begin = [0, 0, 0, 0];
        const count = [-1, -1, -1, -1];
        begin[axis] = start;
        count[axis] = end - start;
        return reduce(tf.slice(t, begin, count), axis);
      });
      return tf.concat(cells, axis);
    };
    return {
      weights: [],
      apply([input]) {
        const x = input as tf.Tensor4D;
        if (oh === 1 && ow === 1)
          return kind === 'avg' ? tf.mean(x, [1, 2], true) : tf.max(x, [1, 2], true);
        if (h % oh === 0 && w % ow === 0) {
          const k: [number, number] = [h / oh, w / ow];
          return kind === 'avg' ? tf.avgPool(x, k, k, 'valid') : tf.maxPool(x, k, k, 'valid');
        }
        return alongAxis(alongAxis(x, 1, h, oh), 2, w, ow);
      },
    };
  };
}

export const buildAdaptiveAvgPool2d = buildAdaptive('avg');
export const buildAdaptiveMaxPool2d = buildAdaptive('max');
