import tf from '../tfjs.cjs';
import { onWasmWith } from '../wasm/wasmKernelContext.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  BATCH_NORM_TRAIN,
  BATCH_NORM_TRAIN_GRAD,
  fusedBatchNormApplies,
} from '../wasm/batchNorm.js';
import {
  webGpuBatchNormApplies,
  webGpuBatchNormBackward,
  webGpuBatchNormForward,
} from '../webgpu/batchNormPrograms.js';

/** The batch statistics a training-mode BatchNorm normalized with (for the running estimates). */
export interface BatchMoments {
  readonly mean: tf.Tensor;
  /** Biased (÷N), as used for normalizing. */
  readonly variance: tf.Tensor;
  /** On webgpu: [2, C], the mean then the variance, for one-dispatch running updates. */
  readonly packed?: tf.Tensor;
}

/**
 * Training-mode BatchNorm over the leading `axes` of a channels-last tensor (NHWC maps, [N, F]
 * features) with a hand-written gradient: tfjs' automatic one differentiates moments, rsqrt and
 * every broadcast separately (~8 reductions and ~20 map-sized ops per layer); this one needs 2
 * reductions and 5 map-sized ops, from the textbook formula
 *   dx = γ·σ⁻¹/N · (N·dy − Σdy − x̂·Σ(dy·x̂)),  dγ = Σ(dy·x̂),  dβ = Σdy.
 * On 'wasm' it runs as two fused kernels instead (src/engine/wasm/batchNorm.ts: three passes over
 * the map forward, two backward), on 'webgpu' as WGSL programs (src/engine/webgpu/
 * batchNormPrograms.ts: 2 dispatches forward, 4 backward); same formulas.
 * `onMoments` receives the batch mean and variance (tensors of the caller's scope). `relu`: the
 * output is max(BatchNorm(x), 0) — a ReLU that follows, fused into the wasm kernels and the
 * webgpu programs (no pass of its own either way), a tfjs op on the other paths.
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor | null,
  beta: tf.Tensor | null,
  eps: number,
  axes: number[],
  onMoments: (m: BatchMoments) => void,
  relu = false,
): tf.Tensor {
  const n = axes.reduce((acc, a) => acc * (x.shape[a] ?? 1), 1);
  // γ = 1, β = 0 without affine parameters: one code path; their gradients are then unused.
  const channels = x.shape[x.rank - 1] ?? 1;
  const g = gamma ?? tf.ones([channels]);
  const b = beta ?? tf.zeros([channels]);
  const channelsLast = axes.length === x.rank - 1 && axes.every((a, i) => a === i);
  const path = !channelsLast
    ? 'ops'
    : fusedOnWasm(x)
      ? 'wasm'
      : webGpuBatchNormApplies(x)
        ? 'webgpu'
        : 'ops';
  const op =
    path === 'wasm'
      ? fusedOp(eps, onMoments, relu)
      : path === 'webgpu'
        ? webGpuOp(eps, onMoments, relu)
        : tf.customGrad((...args: (tf.Tensor | ((saved: tf.Tensor[]) => void))[]) => {
            const [input, weight, bias] = args as [tf.Tensor, tf.Tensor, tf.Tensor];
            const save = args[3] as (saved: tf.Tensor[]) => void;
            const mean = tf.mean(input, axes);
            const centered = tf.sub(input, mean);
            const variance = tf.mean(tf.square(centered), axes);
            const invStd = tf.rsqrt(tf.add(variance, eps));
            const scale = tf.mul(weight, invStd);
            onMoments({ mean, variance });
            save([centered, invStd, scale]);
            return {
              value: tf.add(tf.mul(centered, scale), bias),
              gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
                const [xc, inv, sc] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
                const dBeta = tf.sum(dy, axes);
                // Σ(dy·x̂) = σ⁻¹·Σ(dy·(x − μ)): one map-sized product instead of two.
                const dGamma = tf.mul(tf.sum(tf.mul(dy, xc), axes), inv);
                // dx = sc·dy − xc·(sc·σ⁻¹·dγ/N) − sc·dβ/N
                const xcFactor = tf.mul(tf.mul(sc, inv), tf.div(dGamma, n));
                const shift = tf.mul(sc, tf.div(dBeta, n));
                const dx = tf.sub(tf.mul(dy, sc), tf.add(tf.mul(xc, xcFactor), shift));
                return [dx, dGamma, dBeta];
              },
            };
          });
  const y = op(x, g, b) as tf.Tensor;
  if (gamma === null) g.dispose();
  if (beta === null) b.dispose();
  // The wasm kernels and webgpu programs apply the ReLU themselves; the tfjs ops path as an op.
  if (!relu || path !== 'ops') return y;
  const r = tf.relu(y);
  y.dispose();
  return r;
}

/** Whether the fused wasm kernels run this (channels-last) BatchNorm. */
function fusedOnWasm(x: tf.Tensor): boolean {
  if (!onWasmWith(BATCH_NORM_TRAIN)) {
    return false;
  }
  return fusedBatchNormApplies(tf.backend() as BackendWasm, x);
}

/** The op on the webgpu programs: x, the statistics [2, C] and γ saved for the gradient. */
function webGpuOp(eps: number, onMoments: (m: BatchMoments) => void, relu: boolean) {
  return tf.customGrad((...args: (tf.Tensor | ((saved: tf.Tensor[]) => void))[]) => {
    const [input, weight, bias] = args as [tf.Tensor, tf.Tensor, tf.Tensor];
    const save = args[3] as (saved: tf.Tensor[]) => void;
    const { y, stats } = webGpuBatchNormForward(input, weight, bias, eps, relu);
    // Split only if the caller reads them (two more dispatches).
    let split: tf.Tensor[] | undefined;
    const part = (k: number) => (split ??= tf.unstack(stats))[k]!;
    onMoments({
      get mean() {
        return part(0);
      },
      get variance() {
        return part(1);
      },
      packed: stats,
    });
    save([input, stats, weight, bias]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, st, gamma, beta] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        return webGpuBatchNormBackward(dy, xs, st, gamma, beta, eps, relu);
      },
    };
  });
}

/** The op on the fused wasm kernels: x, μ, σ⁻¹ and γ saved for the gradient kernel. */
function fusedOp(eps: number, onMoments: (m: BatchMoments) => void, relu: boolean) {
  return tf.customGrad((...args: (tf.Tensor | ((saved: tf.Tensor[]) => void))[]) => {
    const [input, weight, bias] = args as [tf.Tensor, tf.Tensor, tf.Tensor];
    const save = args[3] as (saved: tf.Tensor[]) => void;
    const [value, mean, variance, invStd] = tf
      .engine()
      .runKernel(
        BATCH_NORM_TRAIN,
        { x: input, gamma: weight, beta: bias },
        { varianceEpsilon: eps, relu },
      ) as tf.Tensor[] as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    onMoments({ mean, variance });
    save([input, mean, invStd, weight, bias]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, mu, inv, gamma, beta] = saved as tf.Tensor[] as [
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
        ];
        return tf
          .engine()
          .runKernel(
            BATCH_NORM_TRAIN_GRAD,
            { dy, x: xs, mean: mu, invStd: inv, gamma, beta },
            { relu },
          ) as tf.Tensor[];
      },
    };
  });
}
