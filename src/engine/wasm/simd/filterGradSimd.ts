// A hand-written WASM SIMD filter gradient for stride-1, undilated convolutions, generated per
// shape by wasmEmitter and run on the tfjs wasm heap (no copies). XNNPACK runs LeNet's conv1
// filter gradient (C_in = 1: batch as channels, a 28×28 "filter") at a third of conv2's rate;
// this loop reaches ~3× that (docs/performance.md).
//
// dw[kh, kw, ci, co] = Σ_{n, oh, ow} xp[n, oh + kh, ow + kw, ci] · dy[n, oh, ow, co], where xp is
// x zero-padded so that every tap is inside. One call of the generated function sums one (kh, ci)
// for all KW taps and a few groups of 4 output channels, held in v128 accumulators; the channel
// vector of dy is loaded once per position and each x value is splatted once per tap.
import { instantiate, type WasmMemory } from './wasmApi.js';
import { FunctionBody, I32, V128, moduleBytes } from './wasmEmitter.js';

/** Accumulators per generated function: x64 has 16 vector registers, a few go to dy and x. */
const MAX_ACCUMULATORS = 12;

/** Compile-time constants of one generated function. */
interface FilterGradShape {
  /** filter width */
  readonly kw: number;
  /** input channels (stride between x taps) */
  readonly c: number;
  /** output channels (stride between dy positions) */
  readonly co: number;
  /** first channel of each group of 4 output channels this function sums */
  readonly groups: readonly number[];
}

/** The run function: (xBase, dyBase, outBase, N, OH, OW, xRowBytes, xImageBytes) → void. */
type FilterGradFn = (...args: number[]) => void;

const PARAMS = 8;

function generate(shape: FilterGradShape): Uint8Array {
  const { kw: KW, c: C, co: CO, groups } = shape;
  const f = new FunctionBody(PARAMS);
  const [xBase, dyBase, outBase, N, OH, OW, xRowBytes, xImageBytes] = [0, 1, 2, 3, 4, 5, 6, 7];
  const n = f.local(I32);
  const oh = f.local(I32);
  const ow = f.local(I32);
  const xn = f.local(I32);
  const xr = f.local(I32);
  const xq = f.local(I32);
  const dyp = f.local(I32);
  const xs = f.local(V128);
  const d = groups.map(() => f.local(V128));
  const acc = Array.from({ length: KW }, () => groups.map(() => f.local(V128)));
  for (const row of acc) for (const a of row) f.v128Zero().set(a);

  f.get(xBase).set(xn).get(dyBase).set(dyp).i32(0).set(n);
  f.doWhile(n, { local: N }, () => {
    f.get(xn).set(xr).i32(0).set(oh);
    f.doWhile(oh, { local: OH }, () => {
      f.get(xr).set(xq).i32(0).set(ow);
      f.doWhile(ow, { local: OW }, () => {
        groups.forEach((co0, g) =>
          f
            .get(dyp)
            .v128Load(co0 * 4)
            .set(d[g]!),
        );
        for (let k = 0; k < KW; k++) {
          f.get(xq)
            .load32Splat(k * C * 4)
            .set(xs);
          groups.forEach((_, g) => {
            const a = acc[k]![g]!;
            f.get(a).get(xs).get(d[g]!).f32x4Mul().f32x4Add().set(a);
          });
        }
        f.increment(xq, C * 4).increment(dyp, CO * 4);
      });
      f.increment(xr, { local: xRowBytes });
    });
    f.increment(xn, { local: xImageBytes });
  });

  for (let k = 0; k < KW; k++) {
    groups.forEach((co0, g) => {
      f.get(outBase)
        .get(acc[k]![g]!)
        .v128Store((k * C * CO + co0) * 4);
    });
  }
  return moduleBytes(PARAMS, f);
}

/** Generated functions by memory (one per wasm backend instance) and shape. */
const compiled = new WeakMap<WasmMemory, Map<string, FilterGradFn>>();

function filterGradFn(memory: WasmMemory, shape: FilterGradShape): FilterGradFn {
  let byShape = compiled.get(memory);
  if (byShape === undefined) {
    byShape = new Map();
    compiled.set(memory, byShape);
  }
  const key = `${shape.kw}/${shape.c}/${shape.co}/${shape.groups.join(',')}`;
  let fn = byShape.get(key);
  if (fn === undefined) {
    fn = instantiate(generate(shape), { env: { memory } }).run as FilterGradFn;
    byShape.set(key, fn);
  }
  return fn;
}

/**
 * The first channel of each group of 4 output channels, in chunks of at most `perChunk` groups.
 * A last partial group overlaps the one before it (e.g. 6 channels: 0–3 and 2–5); both sum the
 * shared channels in the same order, so the overlap stores identical values twice.
 */
export function channelGroups(co: number, kw: number): number[][] {
  const perChunk = Math.max(1, Math.floor(MAX_ACCUMULATORS / kw));
  const starts = Array.from({ length: Math.ceil(co / 4) }, (_, t) => Math.min(4 * t, co - 4));
  const chunks: number[][] = [];
  for (let i = 0; i < starts.length; i += perChunk) chunks.push(starts.slice(i, i + perChunk));
  return chunks;
}

/** Whether the SIMD filter gradient handles this conv: stride 1, no dilation, ≥ 4 out channels. */
export function simdFilterGradApplies(g: {
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  outChannels: number;
  filterWidth: number;
}): boolean {
  return (
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.dilationHeight === 1 &&
    g.dilationWidth === 1 &&
    g.outChannels >= 4 &&
    g.filterWidth <= MAX_ACCUMULATORS
  );
}

/** Byte addresses and sizes of one filter-gradient computation on the wasm heap. */
export interface FilterGradCall {
  readonly memory: WasmMemory;
  /** x zero-padded to [N, OH + KH − 1, OW + KW − 1, C] */
  readonly xp: number;
  /** dy [N, OH, OW, CO] */
  readonly dy: number;
  /** dw [KH, KW, C, CO] */
  readonly dw: number;
  readonly batch: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly inChannels: number;
  readonly outChannels: number;
}

/** Fills dw (every element) from the padded input and dy. */
export function runFilterGradSimd(call: FilterGradCall): void {
  const { outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = call;
  const { inChannels: C, outChannels: CO } = call;
  const PW = OW + KW - 1;
  const PH = OH + KH - 1;
  const rowBytes = PW * C * 4;
  for (const groups of channelGroups(CO, KW)) {
    const fn = filterGradFn(call.memory, { kw: KW, c: C, co: CO, groups });
    for (let kh = 0; kh < KH; kh++) {
      for (let ci = 0; ci < C; ci++) {
        const xBase = call.xp + kh * rowBytes + ci * 4;
        const outBase = call.dw + (kh * KW * C + ci) * CO * 4;
        fn(xBase, call.dy, outBase, call.batch, OH, OW, rowBytes, PH * rowBytes);
      }
    }
  }
}
