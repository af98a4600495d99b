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

/**
 * A conv's filter gradient as one batched matrix product per kernel tap:
 * dW[i, j] = Σₙ X(i, j)ₙᵀ · dYₙ, where X(i, j) is the (padded) input seen by tap (i, j) — a
 * strided slice — over the output positions, and the sum over the batch is a reduction.
 *
 * tfjs-backend-webgpu's Conv2DBackpropFilter gives one thread to each filter element, looping
 * over batch × output height × width (for ResNet-18's 64-channel 3×3 convs at batch 32:
 * 36,864 threads of 100,352 iterations each): most of a training step's GPU time. Matrix
 * products with the batch as their batch dimension spread the same work over the GPU, without
 * atomics, so the result is the same on every run.
 */
export function convFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: readonly [number, number, number, number],
  strides: readonly [number, number],
  pad: Pad,
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
    const g = dy.reshape([n, oh * ow, cout]);
    const taps: tf.Tensor2D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const seen =
          kh === 1 &&
          kw === 1 &&
          sh === 1 &&
          sw === 1 &&
          oh === padded.shape[1] &&
          ow === padded.shape[2]
            ? padded
            : tf.stridedSlice(
                padded,
                [0, i, j, 0],
                [n, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1, cin],
                [1, sh, sw, 1],
              );
        const perSample = tf.matMul(seen.reshape([n, oh * ow, cin]), g, true, false);
        taps.push(tf.sum(perSample, 0) as tf.Tensor2D);
      }
    }
    return tf.stack(taps).reshape([kh, kw, cin, cout]) as tf.Tensor4D;
  });
}

let installed = false;

/**
 * Makes Conv2D's gradient compute the filter's part with convFilterGradient while the webgpu
 * backend is active (any other backend: tfjs' own, unchanged). NNB_GPU_CONV_GRAD=tfjs keeps
 * tfjs' kernel, for the benchmark's A/B.
 */
export function installConvFilterGradient(): void {
  if (installed || process.env.NNB_GPU_CONV_GRAD === 'tfjs') return;
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
          convFilterGradient(x, dy as tf.Tensor4D, filter.shape, strides, a.pad) ??
          (grads.filter as () => tf.Tensor)(),
      };
    },
  });
}
