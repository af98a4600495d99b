// Per-channel maps over a channels-last tensor as one WASM pass each, the vector broadcast over the
// last axis (channels of an NHWC map, features of [N, F]):
// - NnbBiasRelu: a conv's or Linear's bias add and the ReLU after it, y = max(x + b, 0), where
//   tfjs ran Add (the bias tiled first, channelOps.ts) and Relu. Its gradient is NnbReluGrad and
//   the channel Sum (src/engine/model/biasRelu.ts).
// - NnbChannelAffine: y = x·scale + shift, optionally max(…, 0) — an evaluation-mode BatchNorm
//   (scale = γ/√(running var + ε), shift = β − running mean·scale, as PyTorch's CPU inference
//   computes it) and the ReLU after it, where tfjs ran Sub, Mul, Mul, Add and Relu
//   (src/engine/model/normBuilders.ts). Evaluation only: it has no gradient.
// The per-channel vectors are tiled to one period of lcm(4, C) floats, as BatchNorm's passes do
// (simd/batchNormSimd.ts); the floats after the last whole period are done here in JS by the same
// float32 operations.
import tf from '../tfjs.cjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { generateMap } from './simd/batchNormSimd.js';
import { periodVectors } from './simd/channelSumSimd.js';
import { cachedKernel } from './simd/wasmApi.js';
import type { FunctionBody } from './simd/wasmEmitter.js';
import {
  heapAddress,
  heapView,
  release,
  simdKernelsAvailable,
  wasmMemory,
} from './wasmKernelContext.js';

/** Kernel names (registered for 'wasm' only). */
export const BIAS_RELU = 'NnbBiasRelu';
export const CHANNEL_AFFINE = 'NnbChannelAffine';

/**
 * Whether the kernels take x and the per-channel vectors: float32, each [C] for x's last axis C,
 * SIMD available.
 */
export function channelMapApplies(
  backend: BackendWasm,
  x: tf.TensorInfo,
  ...vectors: tf.TensorInfo[]
): boolean {
  const channels = x.shape[x.shape.length - 1];
  return (
    x.shape.length >= 2 &&
    x.dtype === 'float32' &&
    vectors.every(
      (v) => v.dtype === 'float32' && v.shape.length === 1 && v.shape[0] === channels,
    ) &&
    simdKernelsAvailable(backend)
  );
}

/** Whether NnbBiasRelu takes x and bias. */
export function biasReluApplies(
  backend: BackendWasm,
  x: tf.TensorInfo,
  bias: tf.TensorInfo,
): boolean {
  return channelMapApplies(backend, x, bias);
}

type MapFn = (...args: number[]) => void;

/** pmax(s, 0): s < 0 ? 0 : s, as the ReLU kernels do. */
function emitRelu(f: FunctionBody): void {
  f.v128Zero().f32x4Pmax();
}

/**
 * out = map(x, vectors…) per element, the vectors broadcast over x's last axis: `emit` pushes one
 * vector's value from the stream and the tiled vectors, `scalar` computes one float the same way.
 */
function channelMap(
  backend: BackendWasm,
  x: tf.TensorInfo,
  vectors: readonly tf.TensorInfo[],
  key: string,
  emit: (f: FunctionBody, stream: () => FunctionBody, param: (k: number) => FunctionBody) => void,
  scalar: (x: number, channel: readonly number[]) => number,
): tf.TensorInfo {
  const channels = x.shape[x.shape.length - 1]!;
  const size = tf.util.sizeFromShape(x.shape);
  const period = 4 * periodVectors(channels); // lcm(4, C) floats
  const rows = Math.floor(size / period);
  const out = backend.makeOutput([...x.shape], 'float32');
  const tiled = vectors.map(() => backend.makeOutput([period], 'float32'));
  // Views after the last allocation (makeOutput may grow the heap).
  const values = vectors.map((v) => heapView(backend, v));
  tiled.forEach((t, k) => {
    const view = heapView(backend, t);
    for (let j = 0; j < period; j++) view[j] = values[k]![j % channels]!;
  });
  if (rows > 0) {
    const fn = cachedKernel<MapFn>(wasmMemory(backend), `${key}/${period / 4}`, () =>
      generateMap(period / 4, 1, vectors.length, (f, stream, param, o) =>
        emit(
          f,
          () => stream(0, o),
          (k) => param(k, o),
        ),
      ),
    );
    fn(
      heapAddress(backend, x),
      ...tiled.map((t) => heapAddress(backend, t)),
      rows,
      heapAddress(backend, out),
    );
  }
  for (const t of tiled) release(backend, t);
  const xs = heapView(backend, x);
  const ys = heapView(backend, out);
  for (let i = rows * period; i < size; i++) {
    ys[i] = scalar(
      xs[i]!,
      values.map((v) => v[i % channels]!),
    );
  }
  return out;
}

const fround = Math.fround;

/** max(x + bias, 0), bias broadcast over x's last axis. */
export function biasRelu({
  inputs,
  backend,
}: {
  inputs: { x: tf.TensorInfo; bias: tf.TensorInfo };
  backend: BackendWasm;
}): tf.TensorInfo {
  return channelMap(
    backend,
    inputs.x,
    [inputs.bias],
    'bias-relu',
    (f, stream, param) => {
      stream();
      param(0).f32x4Add();
      emitRelu(f);
    },
    (x, [b]) => {
      const s = fround(x + b!);
      return s < 0 ? 0 : s;
    },
  );
}

/** x·scale + shift, max(…, 0) with `relu`; scale and shift broadcast over x's last axis. */
export function channelAffine({
  inputs,
  backend,
  attrs,
}: {
  inputs: { x: tf.TensorInfo; scale: tf.TensorInfo; shift: tf.TensorInfo };
  backend: BackendWasm;
  attrs: { relu: boolean };
}): tf.TensorInfo {
  const { relu } = attrs;
  return channelMap(
    backend,
    inputs.x,
    [inputs.scale, inputs.shift],
    relu ? 'affine-relu' : 'affine',
    (f, stream, param) => {
      stream();
      param(0).f32x4Mul();
      param(1).f32x4Add();
      if (relu) emitRelu(f);
    },
    (x, [scale, shift]) => {
      const s = fround(fround(x * scale!) + shift!);
      return relu && s < 0 ? 0 : s;
    },
  );
}
