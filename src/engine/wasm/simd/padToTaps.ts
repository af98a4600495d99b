// The zero-padded input the SIMD conv kernels read: [N, (OH − 1)·SH + KH, (OW − 1)·SW + KW, C],
// so that every tap of every output position is inside and the generated loop needs no bounds
// checks. The copy is one generated WASM function per geometry: per row of x, a bulk-memory copy
// and one fill of the borders up to the next row (JavaScript's fill and copyWithin, three calls a
// row, took 0.204 against 0.165 ms for ResNet-20's 3×3 stride-2 conv at batch 32, 0.099 against
// 0.019 for its 3-channel stem: docs/performance.md).
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { ConvGeometry } from '../convGeometry.js';
import { heapAddress, wasmMemory } from '../wasmKernelContext.js';
import { workspace, type Workspace } from '../workspace.js';
import { cachedKernel } from './wasmApi.js';
import { FunctionBody, I32, moduleBytes } from './wasmEmitter.js';

/** Rows and columns of the padded frame: every tap of every output position, the first at (0, 0). */
export function paddedSize(
  g: Pick<
    ConvGeometry,
    'outHeight' | 'outWidth' | 'filterHeight' | 'filterWidth' | 'strideHeight' | 'strideWidth'
  >,
): [number, number] {
  return [
    (g.outHeight - 1) * g.strideHeight + g.filterHeight,
    (g.outWidth - 1) * g.strideWidth + g.filterWidth,
  ];
}

/** The padded frame around one image, in floats. */
interface PadShape {
  /** x's rows that land inside the frame, and their floats that do */
  readonly rows: number;
  readonly cols: number;
  /** floats from one row of x to the next, and of the frame */
  readonly inRow: number;
  readonly outRow: number;
  /** zero floats before the first copied row (top border and the first row's left border) */
  readonly top: number;
  /** zero floats after the last copied row: its right border, the bottom border */
  readonly bottom: number;
  /** floats of one image of x and of the frame */
  readonly inImage: number;
  readonly outImage: number;
}

/**
 * (x, xp, images): every image's frame written once — each float x's value or 0. Between two
 * copied rows the zeros are one fill: this row's right border and the next row's left border.
 */
function generatePad(s: PadShape): Uint8Array {
  const f = new FunctionBody(3);
  const [x, xp, images] = [0, 1, 2];
  const i32 = (): number => f.local(I32);
  const [n, r, from, to] = [i32(), i32(), i32(), i32()];
  const between = s.outRow - s.cols;
  const fill = (bytes: number): void => {
    if (bytes <= 0) return;
    f.get(to).i32(0).i32(bytes).memoryFill();
    f.increment(to, bytes);
  };
  f.get(x).set(from).get(xp).set(to).i32(0).set(n);
  f.doWhile(n, { local: images }, () => {
    fill(s.top * 4);
    if (s.rows > 0) {
      f.i32(0).set(r);
      f.doWhile(r, s.rows, () => {
        f.get(to)
          .get(from)
          .i32(s.cols * 4)
          .memoryCopy();
        f.increment(to, s.cols * 4).increment(from, s.inRow * 4);
        // The borders between this row and the next copied one (none after the last).
        f.get(r)
          .i32(s.rows - 1)
          .ltU()
          .ifStart();
        f.get(to)
          .i32(0)
          .i32(between * 4)
          .memoryFill();
        f.increment(to, between * 4);
        f.end();
      });
    }
    fill(s.bottom * 4);
    // x's rows below the frame are never read: the next image starts a whole image on.
    f.get(x)
      .get(n)
      .i32(1)
      .add()
      .i32(s.inImage * 4)
      .mul()
      .add()
      .set(from);
  });
  return moduleBytes(3, f);
}

type PadFn = (x: number, xp: number, images: number) => void;

/** Whether x is read as it is: no padding at all. */
function unpadded(g: ConvGeometry): boolean {
  const [PH, PW] = paddedSize(g);
  return g.padTop === 0 && g.padLeft === 0 && PH === g.inHeight && PW === g.inWidth;
}

/** x itself when it needs no padding, else a new padded tensor the caller releases. */
export function padToTaps(backend: BackendWasm, x: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  if (unpadded(g)) return x;
  const [PH, PW] = paddedSize(g);
  const xp = backend.makeOutput([g.batch, PH, PW, g.inChannels], 'float32');
  padInto(backend, x, g, heapAddress(backend, xp));
  return xp;
}

/**
 * The byte address of x padded for `g` — x's own where it needs no padding, else the padded copy
 * in the memory's kept 'padded-input' block (workspace.ts) — and `done` to hand that back.
 */
export function paddedInput(backend: BackendWasm, x: tf.TensorInfo, g: ConvGeometry): Workspace {
  if (unpadded(g)) return { address: heapAddress(backend, x), done: () => {} };
  const [PH, PW] = paddedSize(g);
  const xp = workspace(backend, 'padded-input', g.batch * PH * PW * g.inChannels * 4);
  padInto(backend, x, g, xp.address);
  return xp;
}

/** Writes x zero-padded for `g` at byte address `xp`. */
function padInto(backend: BackendWasm, x: tf.TensorInfo, g: ConvGeometry, xp: number): void {
  const { batch: N, inHeight: H, inWidth: W, inChannels: C, padTop, padLeft } = g;
  const [PH, PW] = paddedSize(g);
  // Rows and columns of x that land inside the padded frame (rows past it are never read).
  const rows = Math.max(0, Math.min(H, PH - padTop));
  const cols = Math.max(0, Math.min(W, PW - padLeft)) * C;
  const outRow = PW * C;
  const outImage = PH * outRow;
  const top = rows > 0 ? padTop * outRow + padLeft * C : outImage;
  const shape: PadShape = {
    rows,
    cols,
    inRow: W * C,
    outRow,
    top,
    bottom: rows > 0 ? outImage - top - rows * cols - (rows - 1) * (outRow - cols) : 0,
    inImage: H * W * C,
    outImage,
  };
  const fn = cachedKernel<PadFn>(
    wasmMemory(backend),
    `pad/${rows}/${cols}/${shape.inRow}/${outRow}/${top}/${shape.bottom}/${shape.inImage}`,
    () => generatePad(shape),
  );
  fn(heapAddress(backend, x), xp, N);
}
