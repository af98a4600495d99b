// A WASM SIMD MaxPoolGrad for disjoint windows that tile the input from its corner (stride = window
// size, no padding: LeNet's 2×2/2 pools), generated per shape by wasmEmitter and run on the tfjs
// wasm heap. The JS loop it replaces spends most of its time in unpredictable branches.
//
// Per window and group of 4 channels: best = running pmax over the taps in row-major order —
// exactly the CPU kernel's `if (v > best) best = v` from −∞, NaN never taken — then the first
// tap equal to best receives dy and every other tap 0 (no tap when best is −∞ or no tap won),
// as tfjs' CPU kernel does. Every cell of a window is written, so dx needs no clearing inside
// the windows.
import { cachedKernel, type WasmMemory } from './wasmApi.js';
import { FunctionBody, I32, V128, moduleBytes } from './wasmEmitter.js';
import type { WindowShape } from './windowShape.js';

/** Compile-time constants of one generated function. */
export type PoolGradShape = WindowShape;

/** The run function: (x, dy, dx, N) → void, byte addresses on the wasm heap. */
type PoolGradFn = (...args: number[]) => void;

/** Taps held in registers at once (x64 has 16 vector registers). */
const MAX_TAPS = 9;

/** Whether the SIMD kernel handles these windows (stride = size, no padding, ≥ 4 channels). */
export function simdPoolGradApplies(p: {
  channels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
  outHeight: number;
  outWidth: number;
  inHeight: number;
  inWidth: number;
  batch: number;
}): boolean {
  return (
    p.channels >= 4 &&
    p.filterHeight * p.filterWidth <= MAX_TAPS &&
    p.strideHeight === p.filterHeight &&
    p.strideWidth === p.filterWidth &&
    p.padTop === 0 &&
    p.padLeft === 0 &&
    p.outHeight > 0 &&
    p.outWidth > 0 &&
    p.batch > 0 &&
    p.outHeight * p.filterHeight <= p.inHeight &&
    p.outWidth * p.filterWidth <= p.inWidth
  );
}

function generate(s: PoolGradShape): Uint8Array {
  const { inHeight: H, inWidth: W, channels: C, outHeight: OH, outWidth: OW } = s;
  const { filterHeight: FH, filterWidth: FW } = s;
  const groups = Array.from({ length: Math.ceil(C / 4) }, (_, t) => Math.min(4 * t, C - 4));
  const taps: number[] = [];
  for (let i = 0; i < FH; i++) for (let j = 0; j < FW; j++) taps.push((i * W + j) * C * 4);

  const f = new FunctionBody(4);
  const [x, dy, dx, N] = [0, 1, 2, 3];
  const [n, oh, ow, xr, xq, dq] = Array.from({ length: 6 }, () => f.local(I32)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [m, taken, g, sel] = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const tv = taps.map(() => f.local(V128));

  f.i32(0).set(xr).get(dy).set(dq).i32(0).set(n);
  f.doWhile(n, { local: N }, () => {
    f.i32(0).set(oh);
    f.doWhile(oh, OH, () => {
      f.get(xr).set(xq).i32(0).set(ow);
      f.doWhile(ow, OW, () => {
        for (const c0 of groups) {
          f.f32x4Const(-Infinity).set(m);
          taps.forEach((off, t) => {
            f.get(x)
              .get(xq)
              .add()
              .v128Load(off + c0 * 4)
              .set(tv[t]!);
            f.get(m).get(tv[t]!).f32x4Pmax().set(m);
          });
          // Taken already where no tap won (best still −∞): those windows get no gradient.
          f.get(m).f32x4Const(-Infinity).f32x4Gt().v128Not().set(taken);
          f.get(dq)
            .v128Load(c0 * 4)
            .set(g);
          taps.forEach((off, t) => {
            f.get(tv[t]!).get(m).f32x4Eq().get(taken).v128AndNot().set(sel);
            f.get(dx)
              .get(xq)
              .add()
              .get(sel)
              .get(g)
              .v128And()
              .v128Store(off + c0 * 4);
            f.get(taken).get(sel).v128Or().set(taken);
          });
        }
        f.increment(xq, FW * C * 4).increment(dq, C * 4);
      });
      f.increment(xr, FH * W * C * 4);
    });
    // Rows below the last window (the floor of H / FH) belong to no window.
    f.increment(xr, (H - OH * FH) * W * C * 4);
  });
  return moduleBytes(4, f);
}

/** Runs the generated kernel; dx must be zero outside the windows when they do not tile it. */
export function runMaxPoolGradSimd(
  memory: WasmMemory,
  shape: PoolGradShape,
  addresses: { x: number; dy: number; dx: number; batch: number },
): void {
  const fn = cachedKernel<PoolGradFn>(memory, `max-pool-grad/${JSON.stringify(shape)}`, () =>
    generate(shape),
  );
  fn(addresses.x, addresses.dy, addresses.dx, addresses.batch);
}
