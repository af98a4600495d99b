// col2im for a stride-1 convolution's input gradient, as a generated WASM function: the columns
// cols [N, OH, OW, KH, KW, C] — each output position's product dy·Wᵀ, one row of C floats per
// tap — added into dx [N, H, W, C] at the input positions the taps read:
//   dx[n, oh + kh − padTop, ow + kw − padLeft, c] += cols[n, oh, ow, kh, kw, c]
// for every tap inside the input. Four channels per SIMD vector, the rest one float at a time;
// taps outside the input (the padding) are skipped. dx must be zeroed first.
import { cachedKernel, type WasmMemory } from './wasmApi.js';
import { FunctionBody, I32, moduleBytes } from './wasmEmitter.js';
import type { WindowShape } from './windowShape.js';

/** The constants one generated function is specialized to: the conv's window and its padding. */
export interface Col2imShape extends WindowShape {
  readonly padTop: number;
  readonly padLeft: number;
}

type Col2imFn = (cols: number, dx: number, batch: number) => void;

function generate(s: Col2imShape): Uint8Array {
  const { inHeight: H, inWidth: W, channels: C, outHeight: OH, outWidth: OW } = s;
  const { filterHeight: KH, filterWidth: KW } = s;
  const pixelBytes = C * 4;
  const tapsBytes = KH * KW * pixelBytes; // one output position's columns
  const imageBytes = H * W * pixelBytes;
  const f = new FunctionBody(3);
  const [cols, dx, batch] = [0, 1, 2];
  const i32 = (): number => f.local(I32);
  // pos: the columns of (n, oh, ow = 0); p, d: cursors over ow in the columns and in dx's row.
  const [n, oh, ow, pos, p, d, dstRow, ih] = [
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
  ];
  /** d[dstOffset…] += p[srcOffset…] over one tap's C floats. */
  const addTap = (dstOffset: number, srcOffset: number): void => {
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      f.get(d)
        .get(d)
        .v128Load(dstOffset + 4 * c);
      f.get(p)
        .v128Load(srcOffset + 4 * c)
        .f32x4Add()
        .v128Store(dstOffset + 4 * c);
    }
    for (; c < C; c++) {
      f.get(d)
        .get(d)
        .f32Load(dstOffset + 4 * c);
      f.get(p)
        .f32Load(srcOffset + 4 * c)
        .f32Add()
        .f32Store(dstOffset + 4 * c);
    }
  };
  f.get(cols).set(pos).i32(0).set(n);
  f.doWhile(n, { local: batch }, () => {
    f.i32(0).set(oh);
    f.doWhile(oh, OH, () => {
      for (let kh = 0; kh < KH; kh++) {
        // ih = oh + kh − padTop; the tap row is inside when 0 ≤ ih < H (one unsigned compare).
        f.get(oh)
          .i32(kh - s.padTop)
          .add()
          .set(ih);
        f.get(ih).i32(H).ltU().ifStart();
        // dstRow = dx + n·image + (ih·W − padLeft)·C·4: where ow + kw = 0 would land in row ih.
        f.get(ih)
          .i32(W * pixelBytes)
          .mul();
        f.get(n).i32(imageBytes).mul().add();
        f.get(dx)
          .add()
          .i32(-s.padLeft * pixelBytes)
          .add()
          .set(dstRow);
        f.get(pos).set(p).get(dstRow).set(d).i32(0).set(ow);
        f.doWhile(ow, OW, () => {
          for (let kw = 0; kw < KW; kw++) {
            // iw = ow + kw − padLeft inside 0 ≤ iw < W.
            f.get(ow)
              .i32(kw - s.padLeft)
              .add()
              .i32(W)
              .ltU()
              .ifStart();
            addTap(kw * pixelBytes, (kh * KW + kw) * pixelBytes);
            f.end();
          }
          f.increment(p, tapsBytes).increment(d, pixelBytes);
        });
        f.end();
      }
      f.increment(pos, OW * tapsBytes);
    });
  });
  return moduleBytes(3, f);
}

/**
 * dx [batch, H, W, C] (zeroed) += col2im(cols [batch, OH, OW, KH, KW, C]), byte addresses, for a
 * stride-1 undilated convolution of `shape`.
 */
export function runCol2im(
  memory: WasmMemory,
  shape: Col2imShape,
  cols: number,
  dx: number,
  batch: number,
): void {
  const key = `col2im/${JSON.stringify(shape)}`;
  const fn = cachedKernel<Col2imFn>(memory, key, () => generate(shape));
  fn(cols, dx, batch);
}
