// Training-mode BatchNorm as two WASM kernels (forward, gradient) for channels-last maps and
// feature matrices: the batch mean and variance in one read of x, the normalized output in a
// second pass, the gradients in two over dy and x — where tfjs ops took 4 map-sized element-wise
// kernels and 2 reductions forward and 5 + 2 backward (src/engine/model/batchNormTraining.ts,
// which calls these on 'wasm'). The passes are the generated SIMD loops of simd/batchNormSimd.ts;
// their lane sums are added in float64 per block, as the Sum kernel's are (channelSums.ts), and
// the few floats after the last whole period are done here in JS.
//
// Same formulas as batchNormTraining's tfjs path, with x saved instead of x − μ:
//   forward   μ = Σx/N, σ² = Σ(x − μ)²/N (biased), σ⁻¹ = 1/√(σ² + ε), y = (x − μ)·γσ⁻¹ + β;
//   gradient  dβ = Σdy, dγ = σ⁻¹·Σdy·(x − μ),
//             dx = dy·γσ⁻¹ − (x − μ)·γσ⁻²·dγ/N − γσ⁻¹·dβ/N.
import tf from '../tfjs.cjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BLOCK_PERIODS, blockedChannelSums, channelReductionPlan } from './channelSums.js';
import {
  MOMENTS_CONSTANT_BYTES,
  runGradientSums,
  runInputGrad,
  runMoments,
  runNormalize,
  writeMomentsConstants,
  type BatchNormPassArgs,
} from './simd/batchNormSimd.js';
import { heapAddress, heapView, simdKernelsAvailable, wasmMemory } from './wasmKernelContext.js';
import { workspace } from './workspace.js';

/** Kernel names (registered for 'wasm' only). */
export const BATCH_NORM_TRAIN = 'NnbBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'NnbBatchNormTrainGrad';

const fround = Math.fround;

/**
 * Whether the fused kernels take `x` on `backend`: float32, channels last (C the last axis, N·…
 * the rest), a channel count the SIMD lane sums hold, SIMD available.
 */
export function fusedBatchNormApplies(backend: BackendWasm, x: tf.TensorInfo): boolean {
  const rank = x.shape.length;
  if (rank < 2 || x.dtype !== 'float32' || !simdKernelsAvailable(backend)) return false;
  return channelReductionPlan(backend, x, [...Array(rank - 1).keys()]) !== null;
}

interface Geometry {
  readonly channels: number;
  /** Values per channel: N·H·W. */
  readonly count: number;
  readonly size: number;
  readonly pass: BatchNormPassArgs;
  /** Floats covered by whole periods. */
  readonly covered: number;
}

/** Geometries made so far, by channel count, then size (every call of the kernels asks). */
const geometries = new Map<number, Map<number, Geometry>>();

/** Distinct shapes kept before the cache starts over (a long-lived server sees many graphs). */
const MAX_GEOMETRIES = 256;

function geometry(backend: BackendWasm, x: tf.TensorInfo): Geometry {
  const rank = x.shape.length;
  const channels = x.shape[rank - 1]!;
  const size = tf.util.sizeFromShape(x.shape);
  const memory = wasmMemory(backend);
  const known = geometries.get(channels)?.get(size);
  if (known !== undefined && known.pass.memory === memory && x.dtype === 'float32') return known;
  const plan = channelReductionPlan(backend, x, [...Array(rank - 1).keys()]);
  if (plan === null) throw new Error(`${BATCH_NORM_TRAIN}: unsupported input ${x.shape}.`);
  const { period } = plan;
  const g: Geometry = {
    channels,
    count: size / channels,
    size,
    pass: { memory, period },
    covered: Math.floor(size / period) * period,
  };
  if (geometries.size >= MAX_GEOMETRIES) geometries.clear();
  let bySize = geometries.get(channels);
  if (bySize === undefined) {
    bySize = new Map();
    geometries.set(channels, bySize);
  }
  bySize.set(size, g);
  return g;
}

/**
 * Per-channel vectors, each tiled to one period, in the memory's kept 'channel-vectors' block
 * (workspace.ts): vector k at byte address `base + k · period · 4`; `done` hands it back.
 */
function tiledVectors(
  backend: BackendWasm,
  g: Geometry,
  vectors: readonly Float32Array[],
): { base: number; done: () => void } {
  const { period } = g.pass;
  const { channels } = g;
  const block = workspace(backend, 'channel-vectors', vectors.length * period * 4);
  const view = new Float32Array(g.pass.memory.buffer, block.address, vectors.length * period);
  for (let k = 0; k < vectors.length; k++) {
    const v = vectors[k]!;
    const at = k * period;
    for (let j = 0; j < period; j += channels) view.set(v, at + j);
  }
  return { base: block.address, done: block.done };
}

/**
 * Per channel, Σx and Σ(x − μ)² (μ = Σx/N) in float64, from one read of x: runs of BLOCK_PERIODS
 * periods (the last shorter), each summed, then read again from cache for its squared deviations
 * from its own mean (runMoments). The runs are combined as Chan et al. do, about a reference value
 * r per channel (its first value), so that no two large terms cancel:
 *   Σ(x − μ)² = Σ (a run's own squared deviations) + Σ n·(run mean − r)² − N·(μ − r)².
 * The floats after the last whole period are a run of their own per channel, done here.
 */
function moments(
  backend: BackendWasm,
  g: Geometry,
  x: tf.TensorInfo,
): { sums: Float64Array; squares: Float64Array } {
  const { channels, count, size, covered } = g;
  const { period } = g.pass;
  const sums = new Float64Array(channels);
  const squares = new Float64Array(channels);
  /** Σ n·(run mean − r)² over the runs. */
  const spread = new Float64Array(channels);
  const reference = heapView(backend, x).slice(0, channels);
  if (covered > 0) {
    // The runs' constants (full runs at k, the shorter last one after them) and r tiled.
    const scratch = workspace(
      backend,
      'moments-constants',
      2 * MOMENTS_CONSTANT_BYTES + 4 * period + 16,
    );
    const k = (scratch.address + 15) & ~15;
    const r = k + 2 * MOMENTS_CONSTANT_BYTES;
    const memory = wasmMemory(backend);
    writeMomentsConstants(memory, k, BLOCK_PERIODS);
    const tiled = new Float32Array(memory.buffer, r, period);
    for (let j = 0; j < period; j++) tiled[j] = reference[j % channels]!;
    const xAddress = heapAddress(backend, x);
    // The runs and their float64 sums as the channel sums make them: three outputs a lane.
    const runs = blockedChannelSums(
      backend,
      size,
      period,
      channels,
      3,
      (blocks, blockPeriods, offset, out) => {
        let constants = k;
        if (blockPeriods !== BLOCK_PERIODS) {
          constants += MOMENTS_CONSTANT_BYTES;
          writeMomentsConstants(memory, constants, blockPeriods);
        }
        runMoments(g.pass, xAddress + offset, r, blocks, blockPeriods, constants, out);
      },
    ).sums as [Float64Array, Float64Array, Float64Array];
    scratch.done();
    sums.set(runs[0]);
    squares.set(runs[1]);
    spread.set(runs[2]);
  }
  if (covered < size) {
    const src = heapView(backend, x);
    const tailSums = new Float64Array(channels);
    const tailCounts = new Float64Array(channels);
    for (let i = covered; i < size; i++) {
      tailSums[i % channels]! += src[i]!;
      tailCounts[i % channels]!++;
    }
    for (let i = covered; i < size; i++) {
      const c = i % channels;
      squares[c]! += (src[i]! - tailSums[c]! / tailCounts[c]!) ** 2;
    }
    for (let c = 0; c < channels; c++) {
      const n = tailCounts[c]!;
      if (n === 0) continue;
      sums[c]! += tailSums[c]!;
      spread[c]! += n * (tailSums[c]! / n - reference[c]!) ** 2;
    }
  }
  for (let c = 0; c < channels; c++) {
    // N·(μ − r)², with N·(μ − r) = Σx − N·r.
    const offset = sums[c]! - count * reference[c]!;
    squares[c]! += Math.max(spread[c]! - (offset * offset) / count, 0);
  }
  return { sums, squares };
}

interface ForwardArgs {
  inputs: { x: tf.TensorInfo; gamma: tf.TensorInfo; beta: tf.TensorInfo };
  attrs: { varianceEpsilon: number; relu?: boolean };
  backend: BackendWasm;
}

/** The forward's output value (with the ReLU after it when `relu`), as the SIMD pass computes it. */
function normalized(x: number, mean: number, scale: number, shift: number, relu: boolean): number {
  const y = fround(fround(fround(x - mean) * scale) + shift);
  return relu && !(y > 0) ? 0 : y;
}

/**
 * [y, mean, variance (biased), σ⁻¹] of a training-mode BatchNorm; y = max(BatchNorm(x), 0) with
 * `attrs.relu` (a ReLU that follows, fused: no pass of its own, forward or backward).
 */
export function batchNormTrain({ inputs, attrs, backend }: ForwardArgs): tf.TensorInfo[] {
  const { x, gamma, beta } = inputs;
  const g = geometry(backend, x);
  const { channels, count, size, covered } = g;
  const { sums, squares } = moments(backend, g, x);
  const y = backend.makeOutput(x.shape.slice(), 'float32');
  const statsOut = [0, 1, 2].map(() => backend.makeOutput([channels], 'float32'));
  const xAddress = heapAddress(backend, x);
  const mean = new Float32Array(channels);
  const variance = new Float32Array(channels);
  const invStd = new Float32Array(channels);
  const scale = heapView(backend, gamma).slice();
  const shift = heapView(backend, beta).slice();
  for (let c = 0; c < channels; c++) {
    mean[c] = sums[c]! / count;
    variance[c] = squares[c]! / count;
    invStd[c] = 1 / Math.sqrt(fround(variance[c]! + attrs.varianceEpsilon));
    scale[c] = scale[c]! * invStd[c]!;
  }
  const params = tiledVectors(backend, g, [mean, scale, shift]);
  const relu = attrs.relu === true;
  runNormalize(
    g.pass,
    relu,
    xAddress,
    params.base,
    params.base + 4 * g.pass.period,
    params.base + 8 * g.pass.period,
    covered / g.pass.period,
    heapAddress(backend, y),
  );
  params.done();
  // Views after the last allocation.
  const src = heapView(backend, x);
  const out = heapView(backend, y);
  for (let i = covered; i < size; i++) {
    const c = i % channels;
    out[i] = normalized(src[i]!, mean[c]!, scale[c]!, shift[c]!, relu);
  }
  heapView(backend, statsOut[0]!).set(mean);
  heapView(backend, statsOut[1]!).set(variance);
  heapView(backend, statsOut[2]!).set(invStd);
  return [y, ...statsOut];
}

interface GradArgs {
  inputs: {
    dy: tf.TensorInfo;
    x: tf.TensorInfo;
    mean: tf.TensorInfo;
    invStd: tf.TensorInfo;
    gamma: tf.TensorInfo;
    beta: tf.TensorInfo;
  };
  attrs: { relu?: boolean };
  backend: BackendWasm;
}

/**
 * [dx, dγ, dβ] of a training-mode BatchNorm, from the forward's x, μ and σ⁻¹; with `attrs.relu`
 * of max(BatchNorm(x), 0): dy is masked where the forward's y (recomputed from x, μ, γσ⁻¹, β by
 * the same operations) was not positive.
 */
export function batchNormTrainGrad({ inputs, attrs, backend }: GradArgs): tf.TensorInfo[] {
  const { dy, x } = inputs;
  const g = geometry(backend, x);
  const { channels, count, size, covered } = g;
  const mean = heapView(backend, inputs.mean).slice();
  const invStd = heapView(backend, inputs.invStd).slice();
  const beta = heapView(backend, inputs.beta).slice();
  const relu = attrs.relu === true;
  const scale = heapView(backend, inputs.gamma).slice();
  for (let c = 0; c < channels; c++) scale[c] = scale[c]! * invStd[c]!;
  const period4 = 4 * g.pass.period;
  const forward = tiledVectors(backend, g, [mean, scale, beta]);
  const forwardParams = {
    mu: forward.base,
    scale: forward.base + period4,
    shift: forward.base + 2 * period4,
  };
  const dyAddress = heapAddress(backend, dy);
  const xAddress = heapAddress(backend, x);
  const [dySums, products] = blockedChannelSums(
    backend,
    size,
    g.pass.period,
    channels,
    2,
    (blocks, blockPeriods, offset, out) =>
      runGradientSums(
        g.pass,
        relu,
        dyAddress + offset,
        xAddress + offset,
        forwardParams,
        blocks,
        blockPeriods,
        out,
      ),
  ).sums as [Float64Array, Float64Array];
  forward.done();
  let dyView = heapView(backend, dy);
  let xView = heapView(backend, x);
  /** dy, masked by the fused ReLU. */
  const upstream = (i: number, c: number) =>
    relu && !(normalized(xView[i]!, mean[c]!, scale[c]!, beta[c]!, false) > 0) ? 0 : dyView[i]!;
  for (let i = covered; i < size; i++) {
    const c = i % channels;
    const d = upstream(i, c);
    dySums[c]! += d;
    products[c]! += fround(d * fround(xView[i]! - mean[c]!));
  }
  // dx = dy·a + (x − μ)·b + c, a = γσ⁻¹, b = −γσ⁻²·dγ/N, c = −γσ⁻¹·dβ/N.
  const dBeta = new Float32Array(channels);
  const dGamma = new Float32Array(channels);
  const b = new Float32Array(channels);
  const shift = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    dBeta[c] = dySums[c]!;
    dGamma[c] = products[c]! * invStd[c]!;
    b[c] = -((scale[c]! * invStd[c]! * dGamma[c]!) / count);
    shift[c] = -((scale[c]! * dBeta[c]!) / count);
  }
  const dx = backend.makeOutput(x.shape.slice(), 'float32');
  const dGammaOut = backend.makeOutput([channels], 'float32');
  const dBetaOut = backend.makeOutput([channels], 'float32');
  const params = tiledVectors(backend, g, [mean, scale, b, shift, beta]);
  runInputGrad(
    g.pass,
    relu,
    dyAddress,
    xAddress,
    {
      mu: params.base,
      a: params.base + period4,
      b: params.base + 2 * period4,
      c: params.base + 3 * period4,
      shift: params.base + 4 * period4,
    },
    covered / g.pass.period,
    heapAddress(backend, dx),
  );
  params.done();
  dyView = heapView(backend, dy);
  xView = heapView(backend, x);
  const dxView = heapView(backend, dx);
  for (let i = covered; i < size; i++) {
    const c = i % channels;
    dxView[i] =
      fround(fround(upstream(i, c) * scale[c]!) + fround(fround(xView[i]! - mean[c]!) * b[c]!)) +
      shift[c]!;
  }
  heapView(backend, dGammaOut).set(dGamma);
  heapView(backend, dBetaOut).set(dBeta);
  return [dx, dGammaOut, dBetaOut];
}
