// Per-channel sums of a float32 tensor over every axis but the last, for our Sum and Mean
// kernels: the SIMD lane sum (simd/channelSumSimd.ts) over blocks of BLOCK_PERIODS periods, the
// blocks added in float64. A block's float32 sum adds at most BLOCK_PERIODS terms per lane, so
// the rounding error grows with the block, not with N·H·W (65,536 terms per channel in
// ResNet-20's first BatchNorm at batch 64): see docs/performance.md, "Exactness".
import tf from '../tfjs.cjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { channelSumPlan, runChannelSumSimd, type ChannelSumPlan } from './simd/channelSumSimd.js';
import { heapAddress, heapView, wasmMemory, simdKernelsAvailable } from './wasmKernelContext.js';
import { workspace } from './workspace.js';

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
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const allButLast = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
  if (!allButLast || x.dtype !== 'float32' || !simdKernelsAvailable(backend)) return null;
  return channelSumPlan(x.shape[rank - 1] ?? 0);
}

/**
 * Per-channel float64 sums from a lane-sum pass: `run(blocks, blockPeriods, byteOffset, out)`
 * adds, for each of `blocks` runs of `blockPeriods` periods starting `byteOffset` bytes into the
 * map, the runs' float32 lane sums in float64 into `outputs` periods of doubles at `out`. Covers
 * the map's whole periods (`covered` floats); the caller adds the rest. With `images` > 1 the map
 * is that many maps of `size` floats one after another, each summed apart: each output then holds
 * images × channels sums, image by image (a global average pool's).
 */
export function blockedChannelSums(
  backend: BackendWasm,
  size: number,
  period: number,
  channels: number,
  outputs: number,
  run: (blocks: number, blockPeriods: number, byteOffset: number, out: number) => void,
  images = 1,
): { sums: Float64Array[]; covered: number } {
  const periods = Math.floor(size / period);
  const sums = Array.from({ length: outputs }, () => new Float64Array(channels * images));
  if (periods === 0) return { sums, covered: 0 };
  const full = Math.floor(periods / BLOCK_PERIODS);
  const rest = periods - full * BLOCK_PERIODS;
  // The running sums: outputs · period doubles an image, 8-byte aligned (one float spare to align).
  const doubles = outputs * period;
  const scratch = workspace(backend, 'lane-sums', (2 * doubles * images + 1) * 4);
  const out = (scratch.address + 7) & ~7;
  const memory = wasmMemory(backend);
  new Float64Array(memory.buffer, out, doubles * images).fill(0);
  for (let n = 0; n < images; n++) {
    const image = n * size * 4;
    const at = out + n * doubles * 8;
    if (full > 0) run(full, BLOCK_PERIODS, image, at);
    if (rest > 0) run(1, rest, image + full * BLOCK_PERIODS * period * 4, at);
  }
  // A view after the last allocation (makeOutput may grow the heap and detach older views).
  const laneSums = new Float64Array(memory.buffer, out, doubles * images);
  for (let n = 0; n < images; n++) {
    for (let o = 0; o < outputs; o++) {
      const sum = sums[o]!.subarray(n * channels, (n + 1) * channels);
      const lanes = (n * outputs + o) * period;
      for (let j = 0; j < period; j++) sum[j % channels]! += laneSums[lanes + j]!;
    }
  }
  scratch.done();
  return { sums, covered: periods * period };
}

/** The float64 sum of each channel of `x` (float32, channels last) by `plan`. */
export function channelSums(
  backend: BackendWasm,
  x: tf.TensorInfo,
  plan: ChannelSumPlan,
): Float64Array {
  return sumsByImage(backend, x, plan, 1);
}

/** The reduced output's shape: [C], or every reduced axis kept as 1. */
export function reducedShape(x: tf.TensorInfo, keepDims: boolean): number[] {
  const channels = x.shape[x.shape.length - 1]!;
  return keepDims ? [...x.shape.slice(0, -1).map(() => 1), channels] : [channels];
}

/**
 * Per image, the float64 sum of each channel of `x` [N, …, C] (float32, channels last) over its
 * middle axes (a global average pool's sums), by `plan`: N·C sums, image by image, each as
 * channelSums sums a whole map.
 */
export function imageChannelSums(
  backend: BackendWasm,
  x: tf.TensorInfo,
  plan: ChannelSumPlan,
): Float64Array {
  return sumsByImage(backend, x, plan, x.shape[0]!);
}

/** The channel sums of x cut into `images` maps one after another: images × C sums. */
function sumsByImage(
  backend: BackendWasm,
  x: tf.TensorInfo,
  plan: ChannelSumPlan,
  images: number,
): Float64Array {
  const channels = x.shape[x.shape.length - 1]!;
  const size = tf.util.sizeFromShape(x.shape) / images;
  const memory = wasmMemory(backend);
  const base = heapAddress(backend, x);
  const { sums, covered } = blockedChannelSums(
    backend,
    size,
    plan.period,
    channels,
    1,
    (blocks, blockPeriods, offset, out) =>
      runChannelSumSimd(memory, plan, base + offset, blocks, blockPeriods, out),
    images,
  );
  const result = sums[0]!;
  if (covered < size) {
    const src = heapView(backend, x);
    for (let n = 0; n < images; n++) {
      for (let i = covered; i < size; i++) {
        result[n * channels + (i % channels)]! += src[n * size + i]!;
      }
    }
  }
  return result;
}

/**
 * The plan for summing `x` over `axis` image by image — every axis but the first and the last,
 * of a rank ≥ 3 float32 tensor (a global average pool) — or null where that does not apply.
 */
export function imageReductionPlan(
  backend: BackendWasm,
  x: tf.TensorInfo,
  axis: number | number[],
): ChannelSumPlan | null {
  const rank = x.shape.length;
  if (rank < 3 || x.dtype !== 'float32' || !simdKernelsAvailable(backend)) return null;
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const middle = axes.length === rank - 2 && axes.every((a, i) => a === i + 1);
  return middle ? channelSumPlan(x.shape[rank - 1] ?? 0) : null;
}
