// WASM SIMD passes of a training-mode BatchNorm over a channels-last map (batchNorm.ts), generated
// per channel count by wasmEmitter. The map's flat data repeats its channel pattern every
// lcm(4, C) floats (a `period`, as in channelSumSimd.ts); every per-channel vector the passes read
// (mean, scale, shift…) is stored tiled to one period, so lane k of a period always meets its own
// channel's value.
//
// Three kinds of pass:
// - the forward's moments: per block of periods, its sum and its squared deviations from its own
//   mean, read once from memory and again from cache, combined in float64 (generateMoments);
// - lane sums over blocks of periods (the gradient's Σdy and Σdy·(x − μ)), each block's added in
//   float64 into running sums, as channelSums.ts does;
// - element-wise maps over whole periods (the normalized output, the input gradient), each
//   reading the per-channel vectors from the tiled period (L1-resident) at every period.
import { cachedKernel, perMemory, type WasmMemory } from './wasmApi.js';
import { HIGH_HALF, emitBlockLaneSums } from './channelSumSimd.js';
import { FunctionBody, I32, V128, moduleBytes } from './wasmEmitter.js';

/** Accumulators held at once (x64 has 16 vector registers). */
const MAX_ACCUMULATORS = 12;

/** First vector and vector count of each pass over a period of `vectors` vectors. */
export interface VectorChunk {
  readonly first: number;
  readonly vectors: number;
}

/** A period of `vectors` vectors cut into passes of at most `perPass` vectors, evenly. */
export function vectorChunks(vectors: number, perPass: number): VectorChunk[] {
  const passes = Math.ceil(vectors / perPass);
  return Array.from({ length: passes }, (_, k) => {
    const first = Math.floor((k * vectors) / passes);
    return { first, vectors: Math.floor(((k + 1) * vectors) / passes) - first };
  });
}

/** Vectors a moments pass holds at once: three accumulators each (c, d, q). */
const MOMENTS_VECTORS = 4;

/**
 * (x, r, blocks, blockPeriods, k, out): the forward's mean and variance in one read of x. For each
 * of `blocks` runs of n = `blockPeriods` periods, per lane: c = the run's float32 sum · 1/n (a
 * shift near the run's mean), then — the run read again while it is still in cache — d = Σ(x − c)
 * and q = Σ(x − c)². In float64, the run's sum is n·c + d, its squared deviations from its own
 * mean q − d²/n, and its mean's distance from the lane's reference value r (a value of its channel,
 * tiled to a period) e = (c − r) + d/n; added into three periods of doubles at out: Σ(n·c + d),
 * Σ(q − d²/n) and Σn·e². Chan et al.'s pairwise combination then gives Σ(x − μ)² without
 * cancelling large terms (moments in batchNorm.ts). k holds 1/n as f32x4, then n and 1/n as f64x2.
 */
type MomentsFn = (
  x: number,
  r: number,
  blocks: number,
  blockPeriods: number,
  k: number,
  out: number,
) => void;

function generateMoments(vectors: number, periodBytes: number): Uint8Array {
  const f = new FunctionBody(6);
  const [x, r, blocks, blockPeriods, k, out] = [0, 1, 2, 3, 4, 5];
  const b = f.local(I32);
  const i = f.local(I32);
  const again = f.local(I32);
  const t = f.local(V128);
  const e = f.local(V128);
  const dn = f.local(V128);
  const c = Array.from({ length: vectors }, () => f.local(V128));
  const d = Array.from({ length: vectors }, () => f.local(V128));
  const q = Array.from({ length: vectors }, () => f.local(V128));
  /** Pushes half `half` (0 low, 1 high) of the f32x4 the caller pushes, as f64x2. */
  const promote = (half: number, push: () => void) => {
    push();
    if (half === 1) {
      push();
      f.i8x16Shuffle(HIGH_HALF);
    }
    f.f64x2PromoteLow();
  };
  /** out[at] += the f64x2 the caller pushes. */
  const addInto = (at: number, push: () => void) => {
    f.get(out).get(out).v128Load(at);
    push();
    f.f64x2Add().v128Store(at);
  };
  const nAsF64 = () => f.get(k).v128Load(16);
  const inverseAsF64 = () => f.get(k).v128Load(32);
  f.i32(0).set(b);
  f.doWhile(b, { local: blocks }, () => {
    f.get(x).set(again);
    for (const a of c) f.v128Zero().set(a);
    f.i32(0).set(i);
    f.doWhile(i, { local: blockPeriods }, () => {
      c.forEach((a, v) =>
        f
          .get(a)
          .get(x)
          .v128Load(16 * v)
          .f32x4Add()
          .set(a),
      );
      f.increment(x, periodBytes);
    });
    for (const a of c) f.get(a).get(k).v128Load(0).f32x4Mul().set(a);
    for (const a of [...d, ...q]) f.v128Zero().set(a);
    f.i32(0).set(i);
    f.doWhile(i, { local: blockPeriods }, () => {
      c.forEach((a, v) => {
        f.get(again)
          .v128Load(16 * v)
          .get(a)
          .f32x4Sub()
          .tee(t);
        f.get(d[v]!).f32x4Add().set(d[v]!);
        f.get(t).get(t).f32x4Mul().get(q[v]!).f32x4Add().set(q[v]!);
      });
      f.increment(again, periodBytes);
    });
    c.forEach((a, v) => {
      for (const half of [0, 1]) {
        const at = 32 * v + 16 * half;
        // dn = d/n; e = (c − r) + d/n
        promote(half, () => f.get(d[v]!));
        inverseAsF64();
        f.f64x2Mul().set(dn);
        promote(half, () => f.get(a));
        promote(half, () => f.get(r).v128Load(16 * v));
        f.f64x2Sub().get(dn).f64x2Add().set(e);
        // Σ(n·c + d)
        addInto(at, () => {
          promote(half, () => f.get(a));
          nAsF64();
          f.f64x2Mul();
          promote(half, () => f.get(d[v]!));
          f.f64x2Add();
        });
        // Σ(q − d·d/n)
        addInto(2 * periodBytes + at, () => {
          promote(half, () => f.get(q[v]!));
          promote(half, () => f.get(d[v]!));
          f.get(dn).f64x2Mul().f64x2Sub();
        });
        // Σ n·e²
        addInto(4 * periodBytes + at, () => {
          f.get(e).get(e).f64x2Mul();
          nAsF64();
          f.f64x2Mul();
        });
      }
    });
  });
  return moduleBytes(6, f);
}

/**
 * (dy, x, mu, scale, shift, blocks, blockPeriods, out): per block, the lane sums of g and of
 * g·(x − μ), added in float64 into the sums at out (g's period of doubles, then g·(x − μ)'s). g is
 * dy, or with a ReLU after the BatchNorm dy where (x − μ)·scale + shift > 0 (the forward's y,
 * recomputed by the same operations, so the same mask), else 0.
 */
type GradientSumsFn = (
  dy: number,
  x: number,
  mu: number,
  scale: number,
  shift: number,
  blocks: number,
  blockPeriods: number,
  out: number,
) => void;

function generateGradientSums(vectors: number, periodBytes: number, relu: boolean): Uint8Array {
  const f = new FunctionBody(8);
  const [dy, x, mu, scale, shift, blocks, blockPeriods, out] = [0, 1, 2, 3, 4, 5, 6, 7];
  const d = f.local(V128);
  const t = f.local(V128);
  const sums = Array.from({ length: vectors }, () => f.local(V128));
  const products = Array.from({ length: vectors }, () => f.local(V128));
  emitBlockLaneSums(f, {
    blocks,
    blockPeriods,
    out,
    streams: [dy, x],
    periodBytes,
    accumulators: [sums, products],
    body: (v) => {
      const o = 16 * v;
      f.get(x).v128Load(o).get(mu).v128Load(o).f32x4Sub().set(t);
      f.get(dy).v128Load(o);
      if (relu) {
        // dy & (t·scale + shift > 0): the forward's y, recomputed.
        f.get(t)
          .get(scale)
          .v128Load(o)
          .f32x4Mul()
          .get(shift)
          .v128Load(o)
          .f32x4Add()
          .v128Zero()
          .f32x4Gt()
          .v128And();
      }
      f.tee(d).get(sums[v]!).f32x4Add().set(sums[v]!);
      f.get(d).get(t).f32x4Mul().get(products[v]!).f32x4Add().set(products[v]!);
    },
  });
  return moduleBytes(8, f);
}

/** Vectors handled per iteration of a map's inner loop: all of a short period, else ≤ 8. */
function groupSize(vectors: number): number {
  if (vectors <= 8) return vectors;
  return [8, 4, 2, 1].find((g) => vectors % g === 0)!;
}

/**
 * A map over `rows` whole periods: `streams` map inputs (consecutive periods from their
 * addresses), `params` tiled per-channel vectors (the same period every row), one output. `body`
 * pushes one output vector's value from its loaders.
 */
export function generateMap(
  vectors: number,
  streams: number,
  params: number,
  body: (
    f: FunctionBody,
    stream: (k: number, offset: number) => FunctionBody,
    param: (k: number, offset: number) => FunctionBody,
    offset: number,
  ) => void,
): Uint8Array {
  const paramCount = streams + params + 2;
  const f = new FunctionBody(paramCount);
  const rows = streams + params; // the index of the `rows` parameter
  const out = rows + 1;
  const r = f.local(I32);
  const j = f.local(I32);
  const cursors = Array.from({ length: params }, () => f.local(I32));
  const group = groupSize(vectors);
  const step = 16 * group;
  const stream = (k: number, o: number) => f.get(k).v128Load(o);
  const param = (k: number, o: number) => f.get(cursors[k]!).v128Load(o);
  f.i32(0).set(r);
  f.doWhile(r, { local: rows }, () => {
    cursors.forEach((c, k) => f.get(streams + k).set(c));
    f.i32(0).set(j);
    f.doWhile(j, vectors / group, () => {
      for (let v = 0; v < group; v++) {
        f.get(out);
        body(f, stream, param, 16 * v);
        f.v128Store(16 * v);
      }
      for (let k = 0; k < streams; k++) f.increment(k, step);
      for (const c of cursors) f.increment(c, step);
      f.increment(out, step);
    });
  });
  return moduleBytes(paramCount, f);
}

/**
 * A generated map: its streams' addresses, its tiled vectors' addresses, the row count, the
 * output address (normalize: x, mu, scale, shift, rows, out; input gradient: dy, x, mu, a, b, c,
 * shift, rows, out).
 */
type MapFn = (...args: number[]) => void;

/** Byte addresses of a pass's operands (every per-channel vector tiled to one period). */
export interface BatchNormPassArgs {
  readonly memory: WasmMemory;
  /** Floats in one period: lcm(4, C). */
  readonly period: number;
}

const periodVectors = (period: number) => period / 4;

/** The bytes of a moments pass's constants (k): 1/n as f32x4, n and 1/n as f64x2. */
export const MOMENTS_CONSTANT_BYTES = 48;

/** Writes the constants of runs of n periods at byte address `k` (16-byte aligned). */
export function writeMomentsConstants(memory: WasmMemory, k: number, n: number): void {
  new Float32Array(memory.buffer, k, 4).fill(1 / n);
  new Float64Array(memory.buffer, k + 16, 4).set([n, n, 1 / n, 1 / n]);
}

/**
 * The moments of `blocks` runs of `blockPeriods` periods from `x` (generateMoments), added into
 * the float64 sums at `out` (three periods of doubles: the runs' sums, their squared deviations
 * from their own means, n·(their mean − r)²); `r` is the tiled reference values, `k` the runs'
 * constants (writeMomentsConstants with n = blockPeriods).
 */
export function runMoments(
  { memory, period }: BatchNormPassArgs,
  x: number,
  r: number,
  blocks: number,
  blockPeriods: number,
  k: number,
  out: number,
): void {
  const passes = perMemory(momentsPasses, memory, period, () =>
    vectorChunks(periodVectors(period), MOMENTS_VECTORS).map((c) => ({
      fn: cachedKernel<MomentsFn>(memory, `bn-moments/${c.vectors}/${period}`, () =>
        generateMoments(c.vectors, period * 4),
      ),
      offset: 16 * c.first,
    })),
  );
  for (const { fn, offset } of passes) {
    fn(x + offset, r + offset, blocks, blockPeriods, k, out + 2 * offset);
  }
}

/** A pass over some of a period's vectors: its function and its first vector's byte offset. */
interface Pass<F> {
  readonly fn: F;
  readonly offset: number;
}

/** The moments' passes by period, and the gradient sums' by period · 2 + relu, per memory. */
const momentsPasses = new WeakMap<WasmMemory, Map<number, Pass<MomentsFn>[]>>();
const gradientSumPasses = new WeakMap<WasmMemory, Map<number, Pass<GradientSumsFn>[]>>();
/** The element-wise maps by vectors · 2 + relu, per memory. */
const normalizeMaps = new WeakMap<WasmMemory, Map<number, MapFn>>();
const inputGradMaps = new WeakMap<WasmMemory, Map<number, MapFn>>();

/**
 * Block lane sums of g and of g·(x − μ), added into the float64 sums at `out` (two periods of
 * doubles: g's, then the products'); g = dy, masked by the forward's ReLU when `relu` (then `scale` and
 * `shift` are the tiled γσ⁻¹ and β; otherwise unread).
 */
export function runGradientSums(
  { memory, period }: BatchNormPassArgs,
  relu: boolean,
  dy: number,
  x: number,
  params: { mu: number; scale: number; shift: number },
  blocks: number,
  blockPeriods: number,
  out: number,
): void {
  // Fewer vectors per pass with the mask: its temporaries need registers too.
  const perPass = relu ? MAX_ACCUMULATORS / 2 - 1 : MAX_ACCUMULATORS / 2;
  const passes = perMemory(gradientSumPasses, memory, 2 * period + (relu ? 1 : 0), () =>
    vectorChunks(periodVectors(period), perPass).map((c) => ({
      fn: cachedKernel<GradientSumsFn>(memory, `bn-gsum/${c.vectors}/${period}/${relu}`, () =>
        generateGradientSums(c.vectors, period * 4, relu),
      ),
      offset: 16 * c.first,
    })),
  );
  const { mu, scale, shift } = params;
  for (const { fn, offset: o } of passes) {
    fn(dy + o, x + o, mu + o, scale + o, shift + o, blocks, blockPeriods, out + 2 * o);
  }
}

/** out = (x − μ)·scale + shift over `rows` periods, then max(·, 0) when `relu`. */
export function runNormalize(
  { memory, period }: BatchNormPassArgs,
  relu: boolean,
  x: number,
  mu: number,
  scale: number,
  shift: number,
  rows: number,
  out: number,
): void {
  const vectors = periodVectors(period);
  const fn = perMemory(normalizeMaps, memory, 2 * vectors + (relu ? 1 : 0), () =>
    cachedKernel<MapFn>(memory, `bn-norm/${vectors}/${relu}`, () =>
      generateMap(vectors, 1, 3, (f, stream, param, o) => {
        stream(0, o);
        param(0, o).f32x4Sub();
        param(1, o).f32x4Mul();
        param(2, o).f32x4Add();
        // pmax(y, 0): y < 0 ? 0 : y.
        if (relu) f.v128Zero().f32x4Pmax();
      }),
    ),
  );
  fn(x, mu, scale, shift, rows, out);
}

/**
 * out = g·a + (x − μ)·b + c over `rows` periods, g = dy, or with `relu` dy where
 * (x − μ)·a + shift > 0 (the forward's y: a is γσ⁻¹) else 0.
 */
export function runInputGrad(
  { memory, period }: BatchNormPassArgs,
  relu: boolean,
  dy: number,
  x: number,
  params: { mu: number; a: number; b: number; c: number; shift: number },
  rows: number,
  out: number,
): void {
  const vectors = periodVectors(period);
  const fn = perMemory(inputGradMaps, memory, 2 * vectors + (relu ? 1 : 0), () =>
    inputGradMap(memory, vectors, relu),
  );
  fn(dy, x, params.mu, params.a, params.b, params.c, params.shift, rows, out);
}

function inputGradMap(memory: WasmMemory, vectors: number, relu: boolean): MapFn {
  return cachedKernel<MapFn>(memory, `bn-dx/${vectors}/${relu}`, () => {
    let t = -1;
    return generateMap(vectors, 2, 5, (f, stream, param, o) => {
      if (t < 0) t = f.local(V128);
      // t = x − μ; then g·a, g = dy (masked), + t·b + c
      stream(1, o);
      param(0, o).f32x4Sub().set(t);
      stream(0, o);
      if (relu) {
        f.get(t);
        param(1, o).f32x4Mul();
        param(4, o).f32x4Add().v128Zero().f32x4Gt().v128And();
      }
      param(1, o).f32x4Mul();
      f.get(t);
      param(2, o).f32x4Mul();
      f.f32x4Add();
      param(3, o).f32x4Add();
    });
  });
}
