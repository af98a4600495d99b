// Sum for the WASM backend: a float32 sum over every axis but the last — every bias gradient —
// runs on the project's SIMD lane sum (simd/channelSumSimd.ts); any other sum on tfjs-wasm's own.
import { util } from '@tensorflow/tfjs';
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { periodVectors, runChannelSumSimd, simdChannelSumApplies } from './simd/channelSumSimd.js';
import {
  heapAddress,
  heapView,
  release,
  runWasmKernel,
  wasmMemory,
  simdKernelsAvailable,
} from './wasmKernelContext.js';

interface SumAttrs {
  axis: number | number[];
  keepDims: boolean;
}

/** The kernel function registered as Sum for 'wasm'. */
export function sum(args: {
  inputs: { x: tf.TensorInfo };
  attrs: SumAttrs;
  backend: BackendWasm;
}): tf.TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x } = inputs;
  const rank = x.shape.length;
  const axes = util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
  const channels = x.shape[rank - 1] ?? 0;
  const allButLast = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
  const size = util.sizeFromShape(x.shape);
  const period = 4 * periodVectors(channels);
  if (
    !allButLast ||
    x.dtype !== 'float32' ||
    !simdChannelSumApplies(channels) ||
    size < period ||
    !simdKernelsAvailable(backend)
  ) {
    return runWasmKernel(backend, 'Sum', { x }, attrs as unknown as Record<string, unknown>);
  }
  const periods = Math.floor(size / period);
  const lanes = backend.makeOutput([period], 'float32');
  const shape = attrs.keepDims ? [...x.shape.slice(0, -1).map(() => 1), channels] : [channels];
  const out = backend.makeOutput(shape, 'float32');
  runChannelSumSimd(
    wasmMemory(backend),
    period / 4,
    heapAddress(backend, x),
    periods,
    heapAddress(backend, lanes),
  );
  const lane = heapView(backend, lanes);
  const src = heapView(backend, x);
  const sums = heapView(backend, out);
  sums.fill(0);
  for (let j = 0; j < period; j++) sums[j % channels]! += lane[j]!;
  for (let i = periods * period; i < size; i++) sums[i % channels]! += src[i]!;
  release(backend, lanes);
  return out;
}
