// Per-channel sums of a float32 tensor over every axis but the last, for our Sum and Mean
// kernels: the SIMD lane sum (simd/channelSumSimd.ts) over blocks of BLOCK_PERIODS periods, the
// blocks added in float64. A block's float32 sum adds at most BLOCK_PERIODS terms per lane, so
// the rounding error grows with the block, not with N·H·W (65,536 terms per channel in
// ResNet-20's first BatchNorm at batch 64): see docs/performance.md, "Exactness".
import { util } from '@tensorflow/tfjs';
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { channelSumPlan, runChannelSumSimd, type ChannelSumPlan } from './simd/channelSumSimd.js';
import {
  heapAddress,
  heapView,
  release,
  wasmMemory,
  simdKernelsAvailable,
} from './wasmKernelContext.js';

/** Periods per float32 block (the generated function stores each block's lane sums). */
export const BLOCK_PERIODS = 64;

/**
 * The plan for reducing `x` over `axes` with the lane sum, or null where it does not apply: not
 * every axis but the last, not float32, a channel count the SIMD sum cannot hold, no SIMD.
 */
export function channelReductionPlan(
  backend: BackendWasm,
  x: tf.TensorInfo,
  axis: number | number[],
): ChannelSumPlan | null {
  const rank = x.shape.length;
  const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const allButLast = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
  if (!allButLast || x.dtype !== 'float32' || !simdKernelsAvailable(backend)) return null;
  return channelSumPlan(x.shape[rank - 1] ?? 0);
}

/** The float64 sum of each channel of `x` (float32, channels last) by `plan`. */
export function channelSums(
  backend: BackendWasm,
  x: tf.TensorInfo,
  plan: ChannelSumPlan,
): Float64Array {
  const channels = x.shape[x.shape.length - 1]!;
  const size = util.sizeFromShape(x.shape);
  const { period } = plan;
  const periods = Math.floor(size / period);
  const sums = new Float64Array(channels);
  if (periods > 0) {
    const full = Math.floor(periods / BLOCK_PERIODS);
    const rest = periods - full * BLOCK_PERIODS;
    const blocks = full + (rest > 0 ? 1 : 0);
    const partials = backend.makeOutput([blocks * period], 'float32');
    const memory = wasmMemory(backend);
    const base = heapAddress(backend, x);
    const out = heapAddress(backend, partials);
    if (full > 0) runChannelSumSimd(memory, plan, base, full, BLOCK_PERIODS, out);
    if (rest > 0) {
      const done = full * BLOCK_PERIODS * period * 4;
      runChannelSumSimd(memory, plan, base + done, 1, rest, out + full * period * 4);
    }
    // A view after the last allocation (makeOutput may grow the heap and detach older views).
    const lane = heapView(backend, partials);
    const laneSums = new Float64Array(period);
    for (let k = 0; k < blocks * period; k += period) {
      for (let j = 0; j < period; j++) laneSums[j]! += lane[k + j]!;
    }
    for (let j = 0; j < period; j++) sums[j % channels]! += laneSums[j]!;
    release(backend, partials);
  }
  const src = heapView(backend, x);
  for (let i = periods * period; i < size; i++) sums[i % channels]! += src[i]!;
  return sums;
}

/** The reduced output's shape: [C], or every reduced axis kept as 1. */
export function reducedShape(x: tf.TensorInfo, keepDims: boolean): number[] {
  const channels = x.shape[x.shape.length - 1]!;
  return keepDims ? [...x.shape.slice(0, -1).map(() => 1), channels] : [channels];
}
