import tf from '../tfjs.cjs';
import { onWasmWith } from '../wasm/wasmKernelContext.js';
import { batchNormTraining, type BatchMoments } from './batchNormTraining.js';
import { batchNormTensors } from '../../core/layers/batchNorm.js';
import { layerNormTensors } from '../../core/layers/LayerNorm2d.js';
import type { BuildArgs, BuiltLayer, PendingUpdate } from './LayerBuilder.js';
import { weightSpecs } from './weightSpecs.js';
import { webGpuRunningUpdate } from '../webgpu/batchNormPrograms.js';
import { RUNNING_STATS } from '../wasm/runningStats.js';
import { CHANNEL_AFFINE, channelMapApplies } from '../wasm/biasRelu.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

interface BatchNormParams {
  eps: number;
  momentum: number | null;
  affine: boolean;
  track_running_stats: boolean;
}

/**
 * BatchNorm1d/2d with PyTorch's exact rule (tfjs-layers differs: momentum 0.99 on the old value,
 * eps 1e-3, biased variance). Training normalizes with the batch's biased variance and updates
 *   running = (1 − momentum)·running + momentum·batch     (momentum null: 1/num_batches_tracked)
 * using the unbiased variance n/(n−1)·var for running_var. Evaluation uses the running statistics.
 */
export function buildBatchNorm({ params: p, inputShapes }: BuildArgs<BatchNormParams>): BuiltLayer {
  const input = inputShapes[0] ?? [];
  const channels = input[0] ?? 1;
  // Our axes: NHWC feature maps reduce over N, H, W; [N, F] over N; [N, C, L] over N and L.
  const rank = input.length + 1;
  const axes = rank === 4 ? [0, 1, 2] : rank === 3 ? [0, 2] : [0];
  const paramShape = rank === 3 ? [channels, 1] : [channels];
  const weights = weightSpecs(batchNormTensors(p, input), 'vector');
  const shaped = (t: tf.Tensor): tf.Tensor => (rank === 3 ? t.reshape(paramShape) : t);
  return {
    weights,
    apply([x], w, ctx) {
      const t = x as tf.Tensor;
      const runningUpdates = (moments: BatchMoments): PendingUpdate[] => {
        const n = axes.reduce((acc, a) => acc * (t.shape[a] ?? 1), 1);
        const count = w.num_batches_tracked as tf.Tensor;
        const unbiasing = n / Math.max(n - 1, 1);
        if (moments.packed !== undefined && p.momentum !== null) {
          // webgpu: one dispatch per statistic instead of ~5 (docs/performance.md).
          const m = p.momentum;
          const update = (name: string, row: 0 | 1, take: number) =>
            tf.keep(webGpuRunningUpdate(w[name] as tf.Tensor, moments.packed!, row, 1 - m, take));
          return [
            { weight: 'running_mean', value: update('running_mean', 0, m) },
            { weight: 'running_var', value: update('running_var', 1, m * unbiasing) },
            { weight: 'num_batches_tracked', value: tf.keep(tf.add(count, 1)) },
          ];
        }
        const { mean, variance } = moments;
        if (p.momentum !== null && onWasmWith(RUNNING_STATS)) {
          // wasm: one kernel instead of ten ops (num_batches_tracked + 1 too), the same floats
          // (src/engine/wasm/runningStats.ts).
          const [runningMean, runningVar, newCount] = tf.engine().runKernel(
            RUNNING_STATS,
            {
              runningMean: w.running_mean as tf.Tensor,
              runningVar: w.running_var as tf.Tensor,
              mean,
              variance,
              count,
            },
            { momentum: p.momentum, unbiasing },
          ) as tf.Tensor[] as [tf.Tensor, tf.Tensor, tf.Tensor];
          return [
            { weight: 'running_mean', value: tf.keep(runningMean) },
            { weight: 'running_var', value: tf.keep(runningVar) },
            { weight: 'num_batches_tracked', value: tf.keep(newCount) },
          ];
        }
        const newCount = tf.add(count, 1);
        const m: tf.Tensor | number = p.momentum ?? tf.div(1, newCount);
        const blend = (old: tf.Tensor, batch: tf.Tensor): tf.Tensor =>
          tf.add(tf.mul(old, tf.sub(1, m)), tf.mul(batch, m));
        const unbiased = tf.mul(variance, unbiasing);
        // Kept: they outlive the forward pass's scopes (the fused form runs in a tidy).
        return [
          { weight: 'running_mean', value: tf.keep(blend(w.running_mean as tf.Tensor, mean)) },
          { weight: 'running_var', value: tf.keep(blend(w.running_var as tf.Tensor, unbiased)) },
          { weight: 'num_batches_tracked', value: tf.keep(newCount) },
        ];
      };
      const relu = ctx.fuseRelu === true;
      if (ctx.training && rank !== 3) {
        // Channels last: the fused training form with its hand-written gradient.
        return batchNormTraining(
          t,
          (w.weight as tf.Tensor | undefined) ?? null,
          (w.bias as tf.Tensor | undefined) ?? null,
          p.eps,
          axes,
          (moments) => {
            if (p.track_running_stats && ctx.runningStatistics !== false) {
              ctx.updates.push(...runningUpdates(moments));
            }
          },
          relu,
        );
      }
      if (!ctx.training && p.track_running_stats && rank !== 3) {
        const fused = evaluationOnWasm(relu);
        if (fused !== null) return fused;
      }
      const out = evaluationOrChannelsFirst();
      return relu ? tf.relu(out) : out;

      /**
       * Evaluation on our wasm kernel: y = x·scale + shift (+ the ReLU) in one pass, with
       * scale = γ/√(running var + ε) and shift = β − running mean·scale as PyTorch's CPU inference
       * computes them ([C] vectors, a few small ops); null where the kernel does not apply.
       */
      function evaluationOnWasm(withRelu: boolean): tf.Tensor | null {
        if (!onWasmWith(CHANNEL_AFFINE)) return null;
        const invStd = tf.rsqrt(tf.add(w.running_var as tf.Tensor, p.eps));
        const scale = p.affine ? tf.mul(w.weight as tf.Tensor, invStd) : invStd;
        const centered = tf.mul(w.running_mean as tf.Tensor, scale);
        const shift = p.affine ? tf.sub(w.bias as tf.Tensor, centered) : tf.neg(centered);
        if (!channelMapApplies(tf.backend() as BackendWasm, t, scale, shift)) return null;
        return tf
          .engine()
          .runKernel(CHANNEL_AFFINE, { x: t, scale, shift }, { relu: withRelu }) as tf.Tensor;
      }

      function evaluationOrChannelsFirst(): tf.Tensor {
        let mean: tf.Tensor;
        let variance: tf.Tensor;
        if (ctx.training || !p.track_running_stats) {
          const moments = tf.moments(t, axes);
          mean = moments.mean;
          variance = moments.variance;
          if (ctx.training && p.track_running_stats) {
            ctx.updates.push(...runningUpdates({ mean, variance }));
          }
          if (rank === 3) {
            mean = mean.reshape(paramShape);
            variance = variance.reshape(paramShape);
          }
        } else {
          mean = shaped(w.running_mean as tf.Tensor);
          variance = shaped(w.running_var as tf.Tensor);
        }
        const normalized = tf.mul(tf.sub(t, mean), tf.rsqrt(tf.add(variance, p.eps)));
        if (!p.affine) return normalized;
        return tf.add(
          tf.mul(normalized, shaped(w.weight as tf.Tensor)),
          shaped(w.bias as tf.Tensor),
        );
      }
    },
  };
}

/**
 * LayerNorm2d (torchvision's: nn.LayerNorm over the channels of the channels-last map): the mean
 * and biased variance of each pixel's C values, in NHWC the last axis; autodiff gives the
 * gradients.
 */
export function buildLayerNorm2d({
  params: p,
  inputShapes,
}: BuildArgs<{ eps: number; elementwise_affine: boolean }>): BuiltLayer {
  return {
    weights: weightSpecs(layerNormTensors(p, inputShapes[0] ?? []), 'vector'),
    apply([x], w) {
      const t = x as tf.Tensor;
      const { mean, variance } = tf.moments(t, -1, true);
      const normalized = tf.mul(tf.sub(t, mean), tf.rsqrt(tf.add(variance, p.eps)));
      if (!p.elementwise_affine) return normalized;
      return tf.add(tf.mul(normalized, w.weight as tf.Tensor), w.bias as tf.Tensor);
    },
  };
}
