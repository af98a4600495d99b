// A direct convolution of any stride as a generated WASM SIMD loop with the structure of a matrix
// product (an "implicit GEMM"): the rows are output positions, the sum runs over the taps and the
// input channels, the columns are output channels. Used where Winograd does not apply and XNNPACK
// was slower (docs/performance.md): strided convs (ResNet's downsampling 3×3 and 1×1), a stem with
// few input channels, the stride phases of a strided conv's input gradient.
//
// y[n, oh, ow, co] = Σ_{kh, kw, ci} xp[n, oh·SH + kh, ow·SW + kw, ci] · w[kh, kw, ci, co], xp being x
// zero-padded so that every tap is inside (padToTaps.ts). A block of 2 adjacent output positions ×
// 4 vectors of output channels (16) stays in 8 accumulators — the shape measured fastest for
// Winograd's products (winogradSimd.ts) — over a loop along the input channels, one per tap; each
// filter vector is loaded once per block and tap and channel, each input value splatted once.
// Accumulation is FunctionBody.multiplyAdd (a fused multiply-add where the engine has one).
import { outputGroups } from './convForwardSimd.js';
import { cachedKernel, type WasmMemory } from './wasmApi.js';
import { FunctionBody, I32, V128, moduleBytes } from './wasmEmitter.js';

/** Output positions per block. */
const POSITIONS = 2;
/** Vectors of 4 output channels per block. */
const VECTORS = 4;
/** Input channels up to which the channel loop is unrolled (a 3-channel stem: 3 iterations). */
const UNROLL_CHANNELS = 4;

/** Compile-time constants of one generated function. */
export interface DirectConvShape {
  readonly outHeight: number;
  readonly outWidth: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly inChannels: number;
  readonly outChannels: number;
  /** the padded input's rows and columns: (OH − 1)·SH + KH, (OW − 1)·SW + KW */
  readonly paddedHeight: number;
  readonly paddedWidth: number;
}

function generate(s: DirectConvShape): Uint8Array {
  const { outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = s;
  const { strideHeight: SH, strideWidth: SW, inChannels: C, outChannels: CO } = s;
  const { paddedHeight: PH, paddedWidth: PW } = s;
  const P = Math.min(POSITIONS, OW);
  const pairs = Math.ceil(OW / P);
  const f = new FunctionBody(4);
  const [xBase, wBase, yBase, N] = [0, 1, 2, 3];
  const i32 = (): number => f.local(I32);
  const [n, oh, pair, kh, ci] = [i32(), i32(), i32(), i32(), i32()];
  const [xRow, yRow, xb, yb] = [i32(), i32(), i32(), i32()];
  const [xk, wk, xq, wq, ow0] = [i32(), i32(), i32(), i32(), i32()];
  const splat = f.local(V128);
  const wv = Array.from({ length: VECTORS }, () => f.local(V128));
  const acc = Array.from({ length: P }, () => wv.map(() => f.local(V128)));

  /** acc[p][v] += xq[p's input] · wq[vector v], for one input channel. */
  const channelStep = (block: readonly number[], xOffset: number, wOffset: number): void => {
    block.forEach((co0, v) =>
      f
        .get(wq)
        .v128Load(wOffset + co0 * 4)
        .set(wv[v]!),
    );
    for (let p = 0; p < P; p++) {
      f.get(xq)
        .load32Splat(xOffset + p * SW * C * 4)
        .set(splat);
      block.forEach((_, v) => f.multiplyAdd(acc[p]![v]!, splat, wv[v]!));
    }
  };

  /** The block of output channels `block` for the positions at xb (input) and yb (output). */
  const channelBlock = (block: readonly number[]): void => {
    for (let p = 0; p < P; p++) block.forEach((_, v) => f.v128Zero().set(acc[p]![v]!));
    f.get(xb).set(xk).get(wBase).set(wk).i32(0).set(kh);
    f.doWhile(kh, KH, () => {
      for (let kw = 0; kw < KW; kw++) {
        const wTap = kw * C * CO * 4;
        const xTap = kw * C * 4;
        if (C <= UNROLL_CHANNELS) {
          f.get(xk).set(xq).get(wk).set(wq);
          for (let c = 0; c < C; c++) channelStep(block, xTap + c * 4, wTap + c * CO * 4);
        } else {
          f.get(xk).i32(xTap).add().set(xq);
          f.get(wk).i32(wTap).add().set(wq);
          f.i32(0).set(ci);
          f.doWhile(ci, C, () => {
            channelStep(block, 0, 0);
            f.increment(xq, 4).increment(wq, CO * 4);
          });
        }
      }
      f.increment(xk, PW * C * 4).increment(wk, KW * C * CO * 4);
    });
    for (let p = 0; p < P; p++) {
      block.forEach((co0, v) =>
        f
          .get(yb)
          .get(acc[p]![v]!)
          .v128Store((p * CO + co0) * 4),
      );
    }
  };

  f.get(xBase).set(xRow).get(yBase).set(yRow).i32(0).set(n);
  f.doWhile(n, { local: N }, () => {
    f.i32(0).set(oh);
    f.doWhile(oh, OH, () => {
      f.i32(0).set(pair);
      f.doWhile(pair, pairs, () => {
        // The last pair of an odd row ends at the row's end, recomputing one position.
        f.blockStart(pair, P, OW, ow0);
        f.get(xRow)
          .get(ow0)
          .i32(SW * C * 4)
          .mul()
          .add()
          .set(xb);
        f.get(yRow)
          .get(ow0)
          .i32(CO * 4)
          .mul()
          .add()
          .set(yb);
        for (const block of outputGroups(CO, VECTORS)) channelBlock(block);
      });
      f.increment(xRow, SH * PW * C * 4).increment(yRow, OW * CO * 4);
    });
    // On to the next image: past the rows the last output row's windows did not start at.
    f.increment(xRow, (PH - OH * SH) * PW * C * 4);
  });
  return moduleBytes(4, f);
}

type DirectConvFn = (xp: number, w: number, y: number, batch: number) => void;

/** Byte addresses and sizes of one direct conv on the wasm heap. */
export interface DirectConvCall {
  readonly memory: WasmMemory;
  /** x zero-padded to [N, paddedHeight, paddedWidth, C] */
  readonly xp: number;
  /** filter [KH, KW, C, CO] */
  readonly w: number;
  /** y [N, OH, OW, CO], every element written */
  readonly y: number;
  readonly batch: number;
  readonly shape: DirectConvShape;
}

/** Fills y. Needs outChannels ≥ 4. */
export function runDirectConvSimd(call: DirectConvCall): void {
  const s = call.shape;
  const key = `direct-conv/${s.outHeight}/${s.outWidth}/${s.filterHeight}/${s.filterWidth}/${s.strideHeight}/${s.strideWidth}/${s.inChannels}/${s.outChannels}/${s.paddedHeight}/${s.paddedWidth}`;
  const fn = cachedKernel<DirectConvFn>(call.memory, key, () => generate(s));
  fn(call.xp, call.w, call.y, call.batch);
}
