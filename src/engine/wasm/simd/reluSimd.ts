// Element-wise WASM SIMD passes for a ReLU fused into the residual Add before it
// (src/engine/wasm/addRelu.ts): y = max(a + b, 0) forward, dy where y > 0 (else 0) backward, each
// one pass where tfjs took two forward (AddN, Relu) and two backward (Step, Multiply); and where
// y has two readers, dy₁ + dy₂ where y > 0 in one pass (tfjs' Add of the two, then the mask).
// Rows of ROW floats, 8 vectors unrolled; the caller does the floats after the last whole row.
import { generateMap } from './batchNormSimd.js';
import { cachedKernel, type WasmMemory } from './wasmApi.js';

/** Floats per row of the generated loops. */
export const ROW = 32;

type RowFn = (first: number, second: number, rows: number, out: number) => void;

/** out = max(a + b, 0) over `rows` rows of ROW floats (byte addresses). */
export function runAddRelu(
  memory: WasmMemory,
  a: number,
  b: number,
  rows: number,
  out: number,
): void {
  const fn = cachedKernel<RowFn>(memory, 'add-relu', () =>
    generateMap(ROW / 4, 2, 0, (f, stream, _param, o) => {
      stream(0, o);
      stream(1, o);
      // pmax(a + b, 0): a + b < 0 ? 0 : a + b.
      f.f32x4Add().v128Zero().f32x4Pmax();
    }),
  );
  fn(a, b, rows, out);
}

/** out = y > 0 ? dy : 0 over `rows` rows of ROW floats (y: the ReLU's output). */
export function runReluGrad(
  memory: WasmMemory,
  dy: number,
  y: number,
  rows: number,
  out: number,
): void {
  const fn = cachedKernel<RowFn>(memory, 'relu-grad', () =>
    generateMap(ROW / 4, 2, 0, (f, stream, _param, o) => {
      stream(0, o);
      stream(1, o);
      f.v128Zero().f32x4Gt().v128And();
    }),
  );
  fn(dy, y, rows, out);
}

type RowFn3 = (first: number, second: number, third: number, rows: number, out: number) => void;

/** out = y > 0 ? dy1 + dy2 : 0 over `rows` rows of ROW floats (y: the ReLU's output). */
export function runReluGradSum(
  memory: WasmMemory,
  dy1: number,
  dy2: number,
  y: number,
  rows: number,
  out: number,
): void {
  const fn = cachedKernel<RowFn3>(memory, 'relu-grad-sum', () =>
    generateMap(ROW / 4, 3, 0, (f, stream, _param, o) => {
      stream(0, o);
      stream(1, o);
      f.f32x4Add();
      stream(2, o);
      f.v128Zero().f32x4Gt().v128And();
    }),
  );
  fn(dy1, dy2, y, rows, out);
}
