import * as tf from '@tensorflow/tfjs';

export type ResampleMode = 'nearest' | 'nearest-exact' | 'bilinear' | 'bicubic';

/** One tap of a separable resampling: output i reads input index[i] with weight[i]. */
interface Tap {
  readonly index: Int32Array;
  readonly weight: Float32Array;
}

const CUBIC_A = -0.75; // PyTorch's bicubic convolution constant

function cubicWeights(t: number): [number, number, number, number] {
  const a = CUBIC_A;
  const near = (x: number): number => ((a + 2) * x - (a + 3)) * x * x + 1;
  const far = (x: number): number => ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return [far(t + 1), near(t), near(1 - t), far(2 - t)];
}

/**
 * The taps of one axis, as aten's upsample kernels compute source positions:
 * `scale` is in/out for a given size, 1/scale_factor for a given factor, (in−1)/(out−1) with
 * align_corners.
 */
export function resampleTaps(
  mode: ResampleMode,
  inSize: number,
  outSize: number,
  scaleFactor: number | null,
  alignCorners: boolean,
): Tap[] {
  const linear = mode === 'bilinear' || mode === 'bicubic';
  const scale =
    linear && alignCorners
      ? outSize > 1
        ? (inSize - 1) / (outSize - 1)
        : 0
      : scaleFactor !== null
        ? 1 / scaleFactor
        : inSize / outSize;
  const clamp = (i: number): number => Math.min(Math.max(i, 0), inSize - 1);
  const tapCount = mode === 'bicubic' ? 4 : mode === 'bilinear' ? 2 : 1;
  const taps: Tap[] = Array.from({ length: tapCount }, () => ({
    index: new Int32Array(outSize),
    weight: new Float32Array(outSize),
  }));
  for (let o = 0; o < outSize; o++) {
    if (!linear) {
      const src = mode === 'nearest' ? Math.floor(o * scale) : Math.floor((o + 0.5) * scale);
      taps[0]!.index[o] = Math.min(src, inSize - 1);
      taps[0]!.weight[o] = 1;
      continue;
    }
    let src = alignCorners ? o * scale : scale * (o + 0.5) - 0.5;
    if (mode === 'bilinear') {
      if (!alignCorners && src < 0) src = 0;
      const i0 = Math.floor(src);
      const i1 = i0 < inSize - 1 ? i0 + 1 : i0;
      const l = src - i0;
      taps[0]!.index[o] = i0;
      taps[0]!.weight[o] = 1 - l;
      taps[1]!.index[o] = i1;
      taps[1]!.weight[o] = l;
    } else {
      const i = Math.floor(src);
      const w = cubicWeights(src - i);
      for (let k = 0; k < 4; k++) {
        taps[k]!.index[o] = clamp(i - 1 + k);
        taps[k]!.weight[o] = w[k]!;
      }
    }
  }
  return taps;
}

/** Resamples axis 1 (H) or 2 (W) of an NHWC tensor: Σ_taps gather(x, index)·weight. */
export function resampleAxis(x: tf.Tensor, axis: 1 | 2, taps: readonly Tap[]): tf.Tensor {
  let sum: tf.Tensor | null = null;
  for (const tap of taps) {
    const gathered = tf.gather(x, tf.tensor1d(tap.index, 'int32'), axis);
    const shape = [1, 1, 1, 1];
    shape[axis] = tap.weight.length;
    const term =
      taps.length === 1 ? gathered : tf.mul(gathered, tf.tensor(tap.weight, shape, 'float32'));
    sum = sum === null ? term : tf.add(sum, term);
  }
  return sum ?? x;
}
