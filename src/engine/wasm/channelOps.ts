// Per-channel broadcasts for the WASM backend: a conv's bias add and BatchNorm's normalization on
// NHWC maps. tfjs-backend-wasm 4.22 broadcasts a vector [C] over a map [.., W, C] C values at a
// time, 4–8× slower than the same op on equal shapes when C is small; here the vector is tiled W
// times and the map viewed as [.., W·C], so the broadcast runs over long rows. Anything else runs
// the original kernel.
//
// Not done, measured: Sum over N, H, W as an XNNPACK product ones[1, M] · x[M, C]. It is 5–10×
// faster on a tensor it has seen, but XNNPACK packs x as the product's weights on every new
// tensor, which made it 2× slower than tfjs' transpose-then-reduce in training.
import tf from '../tfjs.cjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { release, reshapeInfo, runWasmKernel } from './wasmKernelContext.js';

interface BinaryArgs {
  inputs: { a: tf.TensorInfo; b: tf.TensorInfo };
  backend: BackendWasm;
}

/** Rows shorter than this broadcast slowly; longer ones are left alone. */
const SHORT_ROW = 128;

/** Add/Sub/Multiply with the per-channel broadcast made row-long (see the file comment). */
function channelBroadcast(name: 'Add' | 'Sub' | 'Multiply') {
  return (args: BinaryArgs): tf.TensorInfo => {
    const { inputs, backend } = args;
    const { a, b } = inputs;
    const aIsMap = a.shape.length >= 3 && b.shape.length === 1;
    const bIsMap = b.shape.length >= 3 && a.shape.length === 1;
    const map = aIsMap ? a : b;
    const vector = aIsMap ? b : a;
    const channels = map.shape[map.shape.length - 1]!;
    const width = map.shape[map.shape.length - 2]!;
    if (
      !(aIsMap || bIsMap) ||
      a.dtype !== 'float32' ||
      b.dtype !== 'float32' ||
      vector.shape[0] !== channels ||
      channels >= SHORT_ROW ||
      width < 2
    ) {
      return runWasmKernel(backend, name, inputs);
    }
    const row = width * channels;
    const tiled = runWasmKernel(backend, 'Tile', { x: vector }, { reps: [width] });
    const rows = reshapeInfo(backend, map, [tf.util.sizeFromShape(map.shape) / row, row]);
    const pair = aIsMap ? { a: rows, b: tiled } : { a: tiled, b: rows };
    const flat = runWasmKernel(backend, name, pair);
    release(backend, tiled);
    release(backend, rows);
    const out = reshapeInfo(backend, flat, [...map.shape]);
    release(backend, flat);
    return out;
  };
}

export const add = channelBroadcast('Add');
export const sub = channelBroadcast('Sub');
export const multiply = channelBroadcast('Multiply');
