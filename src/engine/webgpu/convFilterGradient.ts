import * as tf from '@tensorflow/tfjs';

type Pad = 'valid' | 'same' | number | readonly (readonly [number, number])[];

/** [top, bottom, left, right] of a conv's padding as tfjs states it (NHWC). */
function explicitPads(
  pad: Pad,
  [h, w]: readonly [number, number],
  [kh, kw]: readonly [number, number],
  [sh, sw]: readonly [number, number],
): [number, number, number, number] | null {
  if (pad === 'valid') return [0, 0, 0, 0];
  if (typeof pad === 'number') return [pad, pad, pad, pad];
  if (Array.isArray(pad)) {
    const [, ph, pw] = pad as readonly (readonly [number, number])[];
    return ph && pw ? [ph[0], ph[1], pw[0], pw[1]] : null;
  }
  if (pad === 'same') {
    const outH = Math.ceil(h / sh);
    const outW = Math.ceil(w / sw);
    const padH = Math.max((outH - 1) * sh + kh - h, 0);
    const padW = Math.max((outW - 1) * sw + kw - w, 0);
    return [
      Math.floor(padH / 2),
      padH - Math.floor(padH / 2),
      Math.floor(padW / 2),
      padW - Math.floor(padW / 2),
    ];
  }
  return null;
}

/** How the filter gradient is computed on webgpu (NNB_GPU_CONV_GRAD; `im2col` unless set). */
export type FilterGradientMethod = 'im2col' | 'taps' | 'tfjs';

export function filterGradientMethod(env: NodeJS.ProcessEnv = process.env): FilterGradientMethod {
  const v = env.NNB_GPU_CONV_GRAD;
  return v === 'taps' || v === 'tfjs' ? v : 'im2col';
}

/** Largest im2col matrix built at once; a bigger batch is done in slices and summed. */
const IM2COL_BYTES = 64 * 1024 * 1024;

/**
 * A conv's filter gradient as matrix products, dW = Σₙ colsₙᵀ · dYₙ, where colsₙ holds, for each
 * output position of sample n, the (padded) input patch the kernel saw: im2col, built from one
 * strided slice per kernel tap and concatenated in the filter's (kh, kw, cin) order. `taps`
 * multiplies each tap's slice on its own instead (one product per tap, no concatenation).
 *
 * tfjs-backend-webgpu's Conv2DBackpropFilter gives one thread to each filter element, looping
 * over batch × output height × width (ResNet-18's 64-channel 3×3 convs at batch 32: 36,864
 * threads of 100,352 iterations each), most of a training step's GPU time. Matrix products with
 * the batch as their batch dimension spread the work over the GPU, and the sum over the batch is
 * a reduction, not atomics, so the result is the same on every run.
 */
export function convFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: readonly [number, number, number, number],
  strides: readonly [number, number],
  pad: Pad,
  method: 'im2col' | 'taps' = 'im2col',
  im2colBytes = IM2COL_BYTES,
): tf.Tensor4D | null {
  const [n, h, w, cin] = x.shape;
  const [, oh, ow, cout] = dy.shape;
  const [kh, kw] = filterShape;
  const pads = explicitPads(pad, [h, w], [kh, kw], strides);
  if (pads === null) return null;
  const [sh, sw] = strides;
  return tf.tidy(() => {
    const [top, bottom, left, right] = pads;
    const padded =
      top + bottom + left + right > 0
        ? tf.pad(x, [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ])
        : x;
    const whole =
      kh === 1 &&
      kw === 1 &&
      sh === 1 &&
      sw === 1 &&
      oh === padded.shape[1] &&
      ow === padded.shape[2];
    const tap = (xs: tf.Tensor4D, i: number, j: number): tf.Tensor4D =>
      whole
        ? xs
        : (tf.stridedSlice(
            xs,
            [0, i, j, 0],
            [xs.shape[0], i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1, cin],
            [1, sh, sw, 1],
          ) as tf.Tensor4D);
    if (method === 'taps') {
      const g = dy.reshape([n, oh * ow, cout]);
      const taps: tf.Tensor2D[] = [];
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const perSample = tf.matMul(tap(padded, i, j).reshape([n, oh * ow, cin]), g, true, false);
          taps.push(tf.sum(perSample, 0) as tf.Tensor2D);
        }
      }
      return tf.stack(taps).reshape([kh, kw, cin, cout]) as tf.Tensor4D;
    }
    const rows = kh * kw * cin;
    const perSampleBytes = oh * ow * rows * 4;
    const chunk = Math.max(1, Math.min(n, Math.floor(im2colBytes / Math.max(perSampleBytes, 1))));
    let total: tf.Tensor2D | null = null;
    for (let start = 0; start < n; start += chunk) {
      const m = Math.min(chunk, n - start);
      const xs = m === n ? padded : padded.slice([start, 0, 0, 0], [m, -1, -1, -1]);
      const parts: tf.Tensor4D[] = [];
      for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) parts.push(tap(xs, i, j));
      const cols = (parts.length === 1 ? parts[0]! : tf.concat(parts, 3)).reshape([
        m,
        oh * ow,
        rows,
      ]);
      const g = (m === n ? dy : dy.slice([start, 0, 0, 0], [m, -1, -1, -1])).reshape([
        m,
        oh * ow,
        cout,
      ]);
      const part = tf.sum(tf.matMul(cols, g, true, false), 0) as tf.Tensor2D;
      total = total === null ? part : tf.add(total, part);
    }
    return total!.reshape([kh, kw, cin, cout]) as tf.Tensor4D;
  });
}

let installed = false;

/**
 * Makes Conv2D's gradient compute the filter's part with convFilterGradient while the webgpu
 * backend is active (any other backend: tfjs' own, unchanged). NNB_GPU_CONV_GRAD=taps|tfjs
 * selects the per-tap products or tfjs' own kernel, for the benchmark's A/B.
 */
export function installConvFilterGradient(): void {
  const method = filterGradientMethod();
  if (installed || method === 'tfjs') return;
  const original = tf.getGradient('Conv2D');
  if (original === undefined) return;
  installed = true;
  tf.registerGradient({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const grads = original.gradFunc(dy, saved, attrs);
      if (tf.getBackend() !== 'webgpu') return grads;
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const a = attrs as unknown as {
        strides: number | [number, number];
        pad: Pad;
        dataFormat?: string;
        dilations?: number | [number, number];
      };
      const dilations = a.dilations ?? 1;
      const oneDilation = Array.isArray(dilations)
        ? dilations.every((d) => d === 1)
        : dilations === 1;
      if (a.dataFormat === 'NCHW' || !oneDilation) return grads;
      const strides: [number, number] = Array.isArray(a.strides)
        ? a.strides
        : [a.strides, a.strides];
      return {
        ...grads,
        filter: () =>
          convFilterGradient(x, dy as tf.Tensor4D, filter.shape, strides, a.pad, method) ??
          (grads.filter as () => tf.Tensor)(),
      };
    },
  });
}
