// A hand-written WASM SIMD forward convolution for stride 1, no dilation, generated per shape by
// wasmEmitter and run on the tfjs wasm heap. Used for one input channel (LeNet's conv1), where it
// beats XNNPACK (0.54 vs 0.73 ms at batch 32); with 6 or more input channels XNNPACK's packed
// GEMM is 2–4× faster (docs/performance.md).
//
// y[n, oh, ow, co] = Σ_{kh, kw, ci} xp[n, oh + kh, ow + kw, ci] · w[kh, kw, ci, co], xp being x
// zero-padded so that every tap is inside. A block of P adjacent output positions × a few groups
// of 4 output channels stays in v128 accumulators: each filter vector is loaded once per block
// and each input value splatted once per block and tap.
import { cachedKernel, type WasmMemory } from './wasmApi.js';
import { FunctionBody, I32, V128, moduleBytes } from './wasmEmitter.js';

/**
 * Accumulators + filter vectors + the splatted input. Measured on LeNet's conv1: 7 (2 positions
 * × 2 channel groups) beat 11, 13 and 15 — V8 needs spare vector registers for temporaries.
 */
const MAX_REGISTERS = 7;
/** Groups of 4 output channels summed per pass. */
const MAX_GROUPS = 4;

/** Compile-time constants of one generated function. */
export interface ConvForwardShape {
  readonly outHeight: number;
  readonly outWidth: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly inChannels: number;
  readonly outChannels: number;
  /** first channel of each group of 4 output channels this function computes */
  readonly groups: readonly number[];
}

/** The run function: (xBase, wBase, yBase, N) → void. */
type ConvForwardFn = (...args: number[]) => void;

/** Output positions per block for `groups` groups (never more than the output row). */
function blockSize(groups: number, outWidth: number): number {
  return Math.max(1, Math.min(outWidth, Math.floor((MAX_REGISTERS - groups) / (groups + 0.01))));
}

function generate(s: ConvForwardShape): Uint8Array {
  const { outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = s;
  const { inChannels: C, outChannels: CO, groups } = s;
  const PW = OW + KW - 1;
  const P = blockSize(groups.length, OW);
  const fullBlocks = Math.floor(OW / P);
  const f = new FunctionBody(4);
  const [xBase, wBase, yBase, N] = [0, 1, 2, 3];
  const i32 = (): number => f.local(I32);
  const [n, oh, b, kh] = [i32(), i32(), i32(), i32()];
  const [xr, yr, xb, yb, xk, wk] = [i32(), i32(), i32(), i32(), i32(), i32()];
  const xs = f.local(V128);
  const wv = groups.map(() => f.local(V128));
  const acc = Array.from({ length: P }, () => groups.map(() => f.local(V128)));

  /** One block of P positions starting at the pointers xb (input) and yb (output). */
  const block = (): void => {
    for (const row of acc) for (const a of row) f.v128Zero().set(a);
    f.get(xb).set(xk).get(wBase).set(wk).i32(0).set(kh);
    f.doWhile(kh, KH, () => {
      for (let kw = 0; kw < KW; kw++) {
        for (let ci = 0; ci < C; ci++) {
          groups.forEach((co0, g) =>
            f
              .get(wk)
              .v128Load(((kw * C + ci) * CO + co0) * 4)
              .set(wv[g]!),
          );
          for (let p = 0; p < P; p++) {
            f.get(xk)
              .load32Splat(((p + kw) * C + ci) * 4)
              .set(xs);
            groups.forEach((_, g) => {
              const a = acc[p]![g]!;
              f.multiplyAdd(a, xs, wv[g]!);
            });
          }
        }
      }
      f.increment(xk, PW * C * 4).increment(wk, KW * C * CO * 4);
    });
    for (let p = 0; p < P; p++) {
      groups.forEach((co0, g) =>
        f
          .get(yb)
          .get(acc[p]![g]!)
          .v128Store((p * CO + co0) * 4),
      );
    }
  };

  f.get(xBase).set(xr).get(yBase).set(yr).i32(0).set(n);
  f.doWhile(n, { local: N }, () => {
    f.i32(0).set(oh);
    f.doWhile(oh, OH, () => {
      f.get(xr).set(xb).get(yr).set(yb).i32(0).set(b);
      f.doWhile(b, fullBlocks, () => {
        block();
        f.increment(xb, P * C * 4).increment(yb, P * CO * 4);
      });
      if (OW % P !== 0) {
        // The last positions as a block ending at the row's end: it recomputes a few positions
        // of the block before it, which store the same values again.
        f.get(xr)
          .i32((OW - P) * C * 4)
          .add()
          .set(xb);
        f.get(yr)
          .i32((OW - P) * CO * 4)
          .add()
          .set(yb);
        block();
      }
      f.increment(xr, PW * C * 4).increment(yr, OW * CO * 4);
    });
    // Skip the KH − 1 padded rows below the last output row's window start.
    f.increment(xr, (KH - 1) * PW * C * 4);
  });
  return moduleBytes(4, f);
}

function convForwardFn(memory: WasmMemory, shape: ConvForwardShape): ConvForwardFn {
  return cachedKernel<ConvForwardFn>(memory, `conv-forward/${JSON.stringify(shape)}`, () =>
    generate(shape),
  );
}

/**
 * First channel of each group of 4 (the last one overlapping if needed), in passes of at most
 * `perPass` groups.
 */
export function outputGroups(co: number, perPass = MAX_GROUPS): number[][] {
  const starts = Array.from({ length: Math.ceil(co / 4) }, (_, t) => Math.min(4 * t, co - 4));
  const passes: number[][] = [];
  for (let i = 0; i < starts.length; i += perPass) passes.push(starts.slice(i, i + perPass));
  return passes;
}

/** Byte addresses and sizes of one forward conv on the wasm heap. */
export interface ConvForwardCall {
  readonly memory: WasmMemory;
  /** x zero-padded to [N, OH + KH − 1, OW + KW − 1, C] */
  readonly xp: number;
  /** filter [KH, KW, C, CO] */
  readonly w: number;
  /** y [N, OH, OW, CO] */
  readonly y: number;
  readonly batch: number;
  readonly shape: Omit<ConvForwardShape, 'groups'>;
}

/** Fills y (every element). Needs outChannels ≥ 4. */
export function runConvForwardSimd(call: ConvForwardCall): void {
  for (const groups of outputGroups(call.shape.outChannels)) {
    convForwardFn(call.memory, { ...call.shape, groups })(call.xp, call.w, call.y, call.batch);
  }
}
