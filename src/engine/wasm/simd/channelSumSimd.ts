// A WASM SIMD sum over every axis but the last (every bias gradient: dy [N, H, W, C] → [C];
// BatchNorm's batch statistics), generated per shape by wasmEmitter and run on the tfjs wasm
// heap. tfjs-wasm's Sum and Mean transpose the reduced axes innermost first, a full extra pass
// over the map.
//
// The flat data repeats its channel pattern every lcm(4, C) floats (the `period`); the function
// sums up to MAX_VECTORS vectors of each period lane-wise over runs (blocks) of periods in float32
// and adds each block's lane sums in float64 into running sums (channelSums.ts). A period of more
// vectors (C = 64: 16) is summed in chunks, each a separate pass with its own accumulators.
import { cachedKernel, type WasmMemory } from './wasmApi.js';
import { FunctionBody, V128, I32, moduleBytes } from './wasmEmitter.js';

/** Vectors in one channel period: lcm(4, C) / 4. */
export function periodVectors(channels: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  return channels / gcd(channels, 4);
}

/** Accumulators held at once (x64 has 16 vector registers). */
const MAX_VECTORS = 12;

/** How a channel count is summed: its period (floats) and the vector chunks of one period. */
export interface ChannelSumPlan {
  readonly period: number;
  /** First vector and vector count of each pass. */
  readonly chunks: readonly { readonly first: number; readonly vectors: number }[];
}

/**
 * The plan for `channels`, or null where the SIMD sum does not apply: a period longer than the
 * registers hold, unless it is whole vectors of channels (C a multiple of 4), which split.
 */
export function channelSumPlan(channels: number): ChannelSumPlan | null {
  let plan = plans.get(channels);
  if (plan === undefined) {
    plan = makePlan(channels);
    plans.set(channels, plan);
  }
  return plan;
}

/** Plans made so far, by channel count (every BatchNorm and bias gradient asks at every call). */
const plans = new Map<number, ChannelSumPlan | null>();

function makePlan(channels: number): ChannelSumPlan | null {
  if (!Number.isInteger(channels) || channels < 1) return null;
  const vectors = periodVectors(channels);
  if (vectors > MAX_VECTORS && channels % 4 !== 0) return null;
  const passes = Math.ceil(vectors / MAX_VECTORS);
  const chunks = Array.from({ length: passes }, (_, k) => {
    const first = Math.floor((k * vectors) / passes);
    return { first, vectors: Math.floor(((k + 1) * vectors) / passes) - first };
  });
  return { period: 4 * vectors, chunks };
}

/**
 * (x, blocks, blockPeriods, out): for each of `blocks` runs of `blockPeriods` periods, the lane
 * sums of `vectors` vectors, added in float64 into the sums at out.
 */
type ChannelSumFn = (x: number, blocks: number, blockPeriods: number, out: number) => void;

/** What a block lane-sum loop (`emitBlockLaneSums`) is made of. */
export interface BlockLaneSums {
  /** Parameter indices: the block count, the periods per block, the output address. */
  readonly blocks: number;
  readonly blockPeriods: number;
  readonly out: number;
  /** Parameters or locals holding the addresses that advance one period per period. */
  readonly streams: readonly number[];
  readonly periodBytes: number;
  /** One list of v128 accumulator locals per output period (stored consecutively per block). */
  readonly accumulators: readonly (readonly number[])[];
  /** Adds vector `v` of the current period into the accumulators. */
  readonly body: (v: number) => void;
}

/** The high two f32 lanes of a vector moved to the low two (for f64x2.promote_low). */
export const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];

/**
 * The loop every lane-sum kernel shares: for each block, zero the accumulators, run `body` for
 * every vector of each of its periods (the streams advancing a period at a time), then add the
 * accumulators' lanes in float64 into the running sums at out — output k's period of doubles at
 * out + k · 2 · periodBytes, lane j at 8·j bytes into it — block after block, in order. (The
 * blocks' float32 sums were stored and added in JavaScript until 2026-12-05: the same additions in
 * the same order, so the same doubles.)
 */
export function emitBlockLaneSums(f: FunctionBody, loop: BlockLaneSums): void {
  const b = f.local(I32);
  const i = f.local(I32);
  const { accumulators, periodBytes } = loop;
  f.i32(0).set(b);
  f.doWhile(b, { local: loop.blocks }, () => {
    for (const a of accumulators.flat()) f.v128Zero().set(a);
    f.i32(0).set(i);
    f.doWhile(i, { local: loop.blockPeriods }, () => {
      accumulators[0]!.forEach((_, v) => loop.body(v));
      for (const s of loop.streams) f.increment(s, periodBytes);
    });
    accumulators.forEach((list, k) =>
      list.forEach((a, v) => {
        const at = 2 * k * periodBytes + 32 * v;
        f.get(loop.out).get(loop.out).v128Load(at).get(a).f64x2PromoteLow().f64x2Add();
        f.v128Store(at);
        f.get(loop.out)
          .get(loop.out)
          .v128Load(at + 16);
        f.get(a).get(a).i8x16Shuffle(HIGH_HALF).f64x2PromoteLow().f64x2Add();
        f.v128Store(at + 16);
      }),
    );
  });
}

function generate(vectors: number, periodBytes: number): Uint8Array {
  const f = new FunctionBody(4);
  const [x, blocks, blockPeriods, out] = [0, 1, 2, 3];
  const acc = Array.from({ length: vectors }, () => f.local(V128));
  emitBlockLaneSums(f, {
    blocks,
    blockPeriods,
    out,
    streams: [x],
    periodBytes,
    accumulators: [acc],
    body: (v) =>
      f
        .get(acc[v]!)
        .get(x)
        .v128Load(16 * v)
        .f32x4Add()
        .set(acc[v]!),
  });
  return moduleBytes(4, f);
}

function channelSumFn(memory: WasmMemory, vectors: number, periodBytes: number): ChannelSumFn {
  return cachedKernel<ChannelSumFn>(memory, `channel-sum/${vectors}/${periodBytes}`, () =>
    generate(vectors, periodBytes),
  );
}

/**
 * Block lane sums for `plan`: of `blocks` runs of `blockPeriods` whole periods starting at byte
 * address `x`, each run's lane sums added into the float64 sums at `out` (byte address of
 * plan.period doubles, 8-byte aligned). Needs blocks ≥ 1, blockPeriods ≥ 1.
 */
export function runChannelSumSimd(
  memory: WasmMemory,
  plan: ChannelSumPlan,
  x: number,
  blocks: number,
  blockPeriods: number,
  out: number,
): void {
  for (const { first, vectors } of plan.chunks) {
    const fn = channelSumFn(memory, vectors, plan.period * 4);
    fn(x + 16 * first, blocks, blockPeriods, out + 32 * first);
  }
}
