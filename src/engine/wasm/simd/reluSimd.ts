// Element-wise WASM SIMD passes for a ReLU fused into the residual Add before it
// (src/engine/wasm/addRelu.ts): y = max(a + b, 0) forward, dy where y > 0 (else 0) backward, each
// one pass where tfjs took two forward (AddN, Relu) and two backward (Step, Multiply); and where
// y has two readers, dy₁ + dy₂ where y > 0 in one pass (tfjs' Add of the two, then the mask).
// Rows of ROW floats, 8 vectors unrolled; the caller does the floats after the last whole row.
import { generateMap } from './batchNormSimd.js';
import { cachedKernel, type WasmMemory } from './wasmApi.js';

/** Floats per row of the generated loops. */
export const ROW = 32;

type RowFn = (...args: number[]) => void;

/**
 * A generated loop over `rows` rows of ROW floats: `streams` maps read at the addresses given,
 * one output; `body` pushes an output vector's value from the streams' loaders.
 */
function rowKernel(
  memory: WasmMemory,
  key: string,
  streams: number,
  body: Parameters<typeof generateMap>[3],
): (addresses: readonly number[], rows: number, out: number) => void {
  const fn = cachedKernel<RowFn>(memory, key, () => generateMap(ROW / 4, streams, 0, body));
  return (addresses, rows, out) => fn(...addresses, rows, out);
}

/** out = max(a + b, 0) over `rows` rows of ROW floats ([a, b]: byte addresses). */
export function runAddRelu(
  memory: WasmMemory,
  addresses: readonly number[],
  rows: number,
  out: number,
): void {
  rowKernel(memory, 'add-relu', 2, (f, stream, _param, o) => {
    stream(0, o);
    stream(1, o);
    // pmax(a + b, 0): a + b < 0 ? 0 : a + b.
    f.f32x4Add().v128Zero().f32x4Pmax();
  })(addresses, rows, out);
}

/** out = y > 0 ? dy : 0 over `rows` rows of ROW floats ([dy, y]; y: the ReLU's output). */
export function runReluGrad(
  memory: WasmMemory,
  addresses: readonly number[],
  rows: number,
  out: number,
): void {
  rowKernel(memory, 'relu-grad', 2, (f, stream, _param, o) => {
    stream(0, o);
    stream(1, o);
    f.v128Zero().f32x4Gt().v128And();
  })(addresses, rows, out);
}

/** out = y > 0 ? dy1 + dy2 : 0 over `rows` rows of ROW floats ([dy1, dy2, y]). */
export function runReluGradSum(
  memory: WasmMemory,
  addresses: readonly number[],
  rows: number,
  out: number,
): void {
  rowKernel(memory, 'relu-grad-sum', 3, (f, stream, _param, o) => {
    stream(0, o);
    stream(1, o);
    f.f32x4Add();
    stream(2, o);
    f.v128Zero().f32x4Gt().v128And();
  })(addresses, rows, out);
}
