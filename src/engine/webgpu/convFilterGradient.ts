import tf from '../tfjs.cjs';
import { im2col } from './im2colProgram.js';
import { activeWebGpu } from './webgpuInternals.js';

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
  // The im2col kernel is a webgpu program; elsewhere the caller keeps tfjs' gradient.
  if (method === 'im2col' && activeWebGpu() === null) return null;
  const [sh, sw] = strides;
  return tf.tidy(() => {
    const [top, bottom, left, right] = pads;
    const padding: [number, number][] = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    const padOf = (t: tf.Tensor4D): tf.Tensor4D =>
      top + bottom + left + right > 0 ? tf.pad(t, padding) : t;
    const whole =
      kh === 1 &&
      kw === 1 &&
      sh === 1 &&
      sw === 1 &&
      oh === h + top + bottom &&
      ow === w + left + right;
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
      const padded = padOf(x);
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
      const xs = m === n ? x : x.slice([start, 0, 0, 0], [m, -1, -1, -1]);
      const cols = im2col(xs, [kh, kw], [sh, sw], [top, left], [oh, ow])!;
      const g = (m === n ? dy : dy.slice([start, 0, 0, 0], [m, -1, -1, -1])).reshape([
        m,
        oh * ow,
        cout,
      ]);
      // Samples grouped so the product has enough tiles to fill the GPU, and the sum over the
      // groups is short; a single group would go to tfjs' split-K product (atomics, whose sums
      // differ from run to run).
      const b = productBatch(m, rows, cout);
      const product = tf.matMul(
        cols.reshape([b, (m / b) * oh * ow, rows]),
        g.reshape([b, (m / b) * oh * ow, cout]),
        true,
        false,
      );
      const part = (b === 1 ? product.reshape([rows, cout]) : tf.sum(product, 0)) as tf.Tensor2D;
      total = total === null ? part : tf.add(total, part);
    }
    return total!.reshape([kh, kw, cin, cout]) as tf.Tensor4D;
  });
}

/** Output tiles (32×32) the matrix products should give the GPU at least. */
const MIN_TILES = 512;

/** The smallest divisor b of m with b product tiles ≥ MIN_TILES (or m). */
export function productBatch(m: number, rows: number, cols: number): number {
  const tiles = Math.ceil(rows / 32) * Math.ceil(cols / 32);
  for (let b = 1; b < m; b++) if (m % b === 0 && b * tiles >= MIN_TILES && b > 1) return b;
  return m;
}

/**
 * A stride-1 conv's input gradient as a forward conv: dx = conv(dy, W flipped in space with its
 * channels swapped), padded by k − 1 − p on each side. tfjs-backend-webgpu's forward conv is
 * about twice as fast as its Conv2DBackpropInput (H200 profile of ResNet-18, docs/performance.md).
 * Null when a side's padding exceeds k − 1 (the transposed conv would have to crop).
 */
export function convInputGradient(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: readonly [number, number, number, number],
  pad: Pad,
): tf.Tensor4D | null {
  const [, h, w] = inputShape;
  const [kh, kw] = filter.shape;
  const pads = explicitPads(pad, [h, w], [kh, kw], [1, 1]);
  if (pads === null) return null;
  const [top, bottom, left, right] = pads;
  const back: [number, number][] = [
    [0, 0],
    [kh - 1 - top, kh - 1 - bottom],
    [kw - 1 - left, kw - 1 - right],
    [0, 0],
  ];
  if (back.some(([a, b]) => a < 0 || b < 0)) return null;
  return tf.tidy(() => {
    const flipped = flipSwapped(filter);
    return tf.conv2d(dy, flipped, 1, back as tf.backend_util.ExplicitPadding);
  });
}

/**
 * The filter flipped in space with its channels swapped, [kh, kw, cout, cin], in one dispatch
 * (tfjs: a reverse and a transpose).
 */
function flipSwapped(filter: tf.Tensor4D): tf.Tensor4D {
  const [kh, kw, cin, cout] = filter.shape;
  const outputShape = [kh, kw, cout, cin];
  const size = kh * kw * cin * cout;
  const program = {
    variableNames: ['w'],
    outputShape,
    uniforms: '',
    workgroupSize: [64, 1, 1] as [number, number, number],
    size: true,
    dispatchLayout: { x: [0, 1, 2, 3] },
    dispatch: [Math.ceil(size / 64), 1, 1] as [number, number, number],
    shaderKey: 'nnb_flip_swap_filter',
    getUserCode: () => /* wgsl */ `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let at = getCoordsFromIndex(index);
          let kh = uniforms.outShape[0];
          let kw = uniforms.outShape[1];
          setOutputAtIndex(index, getW(kh - 1 - at[0], kw - 1 - at[1], at[3], at[2]));
        }
      }`,
  };
  const backend = activeWebGpu() as unknown as {
    runWebGPUProgram(
      p: typeof program,
      inputs: tf.TensorInfo[],
      dtype: 'float32',
      u: [],
    ): tf.TensorInfo;
  };
  const info = backend.runWebGPUProgram(program, [filter], 'float32', []);
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor4D;
}

let installed = false;

/**
 * Makes Conv2D's gradient, while the webgpu backend is active (any other backend: tfjs' own,
 * unchanged), compute the filter's part with convFilterGradient and a stride-1 conv's input part
 * with convInputGradient. For the benchmark's A/B: NNB_GPU_CONV_GRAD=taps|tfjs selects the
 * per-tap products or tfjs' own filter kernel, NNB_GPU_CONV_DX=tfjs tfjs' own input kernel.
 */
export function installConvFilterGradient(): void {
  const method = filterGradientMethod();
  const ownInput = process.env.NNB_GPU_CONV_DX !== 'tfjs';
  if (installed || (method === 'tfjs' && !ownInput)) return;
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
      const g = dy as tf.Tensor4D;
      const stride1 = strides[0] === 1 && strides[1] === 1;
      return {
        x:
          ownInput && stride1
            ? () => convInputGradient(g, filter, x.shape, a.pad) ?? (grads.x as () => tf.Tensor)()
            : grads.x!,
        filter:
          method === 'tfjs'
            ? grads.filter!
            : () =>
                convFilterGradient(x, g, filter.shape, strides, a.pad, method) ??
                (grads.filter as () => tf.Tensor)(),
      };
    },
  });
}
