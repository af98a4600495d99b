// Tile for the WASM backend where it broadcasts: every repeated axis has size 1 in x (what
// tf.broadcastTo asks for — Mean's gradient, meanGradient.ts). The output is built by copies:
// each run of x's trailing axes written once, then doubled in place with copyWithin. tfjs-wasm's
// own Tile computes every output element's source index: 5.5 ms for ResNet-20's [32, 1, 1, 64]
// → [32, 8, 8, 64], where this takes a copy's time. Any other tiling runs on tfjs-wasm's.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, runWasmKernel } from './wasmKernelContext.js';

interface TileAttrs {
  reps: number[];
}

/** The kernel registered as Tile for 'wasm'. */
export function tile({
  inputs,
  attrs,
  backend,
}: {
  inputs: { x: tf.TensorInfo };
  attrs: TileAttrs;
  backend: BackendWasm;
}): tf.TensorInfo {
  const { x } = inputs;
  const { reps } = attrs;
  const shape = x.shape;
  const broadcasts =
    x.dtype === 'float32' &&
    reps.length === shape.length &&
    reps.every((r, i) => Number.isInteger(r) && r >= 1 && (r === 1 || shape[i] === 1));
  if (!broadcasts) {
    return runWasmKernel(backend, 'Tile', { x }, attrs as unknown as Record<string, unknown>);
  }
  const rank = shape.length;
  const outShape = shape.map((s, i) => s * reps[i]!);
  const out = backend.makeOutput(outShape, 'float32');
  const src = heapView(backend, x);
  const dst = heapView(backend, out);
  const srcStrides = new Array<number>(rank);
  const outStrides = new Array<number>(rank);
  for (let a = rank - 1, s = 1, o = 1; a >= 0; a--) {
    srcStrides[a] = s;
    outStrides[a] = o;
    s *= shape[a]!;
    o *= outShape[a]!;
  }
  // The innermost axes that are not repeated: one contiguous run in x and in the output.
  let last = rank - 1;
  while (last >= 0 && reps[last] === 1) last--;
  const run = last < 0 ? src.length : srcStrides[last]!;
  /** Writes the output's block for axes a… from x's block at srcAt, at dstAt. */
  const fill = (a: number, srcAt: number, dstAt: number): void => {
    if (a > last) {
      dst.set(src.subarray(srcAt, srcAt + run), dstAt);
      return;
    }
    for (let i = 0; i < shape[a]!; i++)
      fill(a + 1, srcAt + i * srcStrides[a]!, dstAt + i * outStrides[a]!);
    // A repeated axis (size 1 in x): its first block, doubled in place until it fills the axis.
    const block = outStrides[a]!;
    const total = block * reps[a]!;
    for (let filled = block; filled < total; filled *= 2) {
      dst.copyWithin(dstAt + filled, dstAt, dstAt + Math.min(filled, total - filled));
    }
  };
  fill(0, 0, 0);
  return out;
}
