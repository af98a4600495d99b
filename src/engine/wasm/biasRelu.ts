// A conv's or Linear's bias add and the ReLU after it as one WASM kernel: y = max(x + b, 0) with b
// broadcast over the last axis (channels of an NHWC map, features of [N, F]), in one pass where
// tfjs ran Add (the bias tiled first, channelOps.ts) and Relu. Its gradient is NnbReluGrad and
// the channel Sum (src/engine/model/biasRelu.ts). The per-channel vector is tiled to one period
// of lcm(4, C) floats, as BatchNorm's passes do (simd/batchNormSimd.ts); the floats after the last
// whole period are done here in JS by the same float32 operations.
import tf from '../tfjs.cjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { generateMap } from './simd/batchNormSimd.js';
import { periodVectors } from './simd/channelSumSimd.js';
import { cachedKernel } from './simd/wasmApi.js';
import {
  heapAddress,
  heapView,
  release,
  simdKernelsAvailable,
  wasmMemory,
} from './wasmKernelContext.js';

/** Kernel name (registered for 'wasm' only). */
export const BIAS_RELU = 'NnbBiasRelu';

/** Whether the kernel takes x and bias: float32, bias [C] for x's last axis C, SIMD available. */
export function biasReluApplies(
  backend: BackendWasm,
  x: tf.TensorInfo,
  bias: tf.TensorInfo,
): boolean {
  const channels = x.shape[x.shape.length - 1];
  return (
    x.shape.length >= 2 &&
    x.dtype === 'float32' &&
    bias.dtype === 'float32' &&
    bias.shape.length === 1 &&
    bias.shape[0] === channels &&
    simdKernelsAvailable(backend)
  );
}

type MapFn = (x: number, bias: number, rows: number, out: number) => void;

/** max(x + bias, 0), bias broadcast over x's last axis. */
export function biasRelu({
  inputs,
  backend,
}: {
  inputs: { x: tf.TensorInfo; bias: tf.TensorInfo };
  backend: BackendWasm;
}): tf.TensorInfo {
  const { x, bias } = inputs;
  const channels = bias.shape[0]!;
  const size = tf.util.sizeFromShape(x.shape);
  const period = 4 * periodVectors(channels); // lcm(4, C) floats
  const rows = Math.floor(size / period);
  const out = backend.makeOutput([...x.shape], 'float32');
  const tiled = backend.makeOutput([period], 'float32');
  // Views after the last allocation (makeOutput may grow the heap).
  const b = heapView(backend, bias);
  const t = heapView(backend, tiled);
  for (let j = 0; j < period; j++) t[j] = b[j % channels]!;
  if (rows > 0) {
    const memory = wasmMemory(backend);
    const fn = cachedKernel<MapFn>(memory, `bias-relu/${period / 4}`, () =>
      generateMap(period / 4, 1, 1, (f, stream, param, o) => {
        stream(0, o);
        param(0, o).f32x4Add();
        // pmax(s, 0): s < 0 ? 0 : s, as the ReLU kernels do.
        f.v128Zero().f32x4Pmax();
      }),
    );
    fn(heapAddress(backend, x), heapAddress(backend, tiled), rows, heapAddress(backend, out));
  }
  release(backend, tiled);
  const xs = heapView(backend, x);
  const ys = heapView(backend, out);
  for (let i = rows * period; i < size; i++) {
    const s = Math.fround(xs[i]! + b[i % channels]!);
    ys[i] = s < 0 ? 0 : s;
  }
  return out;
}
