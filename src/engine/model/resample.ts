import tf from '../tfjs.cjs';

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

/** The taps as a dense [out, in] interpolation matrix (taps hitting the same input add up). */
export function resampleMatrix(taps: readonly Tap[], inSize: number): Float32Array {
  const out = taps[0]?.index.length ?? 0;
  const matrix = new Float32Array(out * inSize);
  for (const tap of taps) {
    for (let o = 0; o < out; o++) matrix[o * inSize + tap.index[o]!]! += tap.weight[o]!;
  }
  return matrix;
}

/**
 * Resamples axis 1 (H) or 2 (W) of an NHWC tensor as one matrix product with the interpolation
 * matrix. (A gather would be shorter, but its gradient needs UnsortedSegmentSum, which the WASM
 * backend lacks; MatMul's gradient exists everywhere.)
 */
export function resampleAxis(x: tf.Tensor, axis: 1 | 2, taps: readonly Tap[]): tf.Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const inSize = axis === 1 ? h : w;
  const outSize = taps[0]?.index.length ?? inSize;
  const matrix = tf.tensor2d(resampleMatrix(taps, inSize), [outSize, inSize]);
  // Bring the axis to the front, multiply, and put it back.
  const perm = axis === 1 ? [1, 0, 2, 3] : [2, 0, 1, 3];
  const front = tf.reshape(tf.transpose(x, perm), [inSize, -1]);
  const mixed = tf.matMul(matrix, front as tf.Tensor2D);
  const shaped = tf.reshape(mixed, axis === 1 ? [outSize, n, w, c] : [outSize, n, h, c]);
  return tf.transpose(shaped, axis === 1 ? [1, 0, 2, 3] : [1, 2, 0, 3]);
}
