// Sum and Mean for the WASM backend. Over every axis but the last — every bias gradient (Sum),
// BatchNorm's batch mean and variance (Mean, 44 calls in a ResNet-20 step) — they run on the
// project's blocked SIMD channel sum (channelSums.ts), the mean divided by the count; tfjs-wasm's
// own transposes the reduced axes innermost first. Over every axis but the first and the last (a
// global average pool) they run image by image on the same sums. Any other sum or mean runs on
// tfjs-wasm's.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  channelReductionPlan,
  channelSums,
  imageChannelSums,
  imageReductionPlan,
  reducedShape,
} from './channelSums.js';
import type { ChannelSumPlan } from './simd/channelSumSimd.js';
import { heapView, runWasmKernel } from './wasmKernelContext.js';

interface ReductionAttrs {
  axis: number | number[];
  keepDims: boolean;
}

type ReductionKernel = (args: {
  inputs: { x: tf.TensorInfo };
  attrs: ReductionAttrs;
  backend: BackendWasm;
}) => tf.TensorInfo;

/** The kernel registered as `name` for 'wasm': channel sums, divided by the count for Mean. */
function channelReduction(name: 'Sum' | 'Mean'): ReductionKernel {
  return ({ inputs, attrs, backend }) => {
    const { x } = inputs;
    const plan = channelReductionPlan(backend, x, attrs.axis);
    if (plan === null) {
      const perImage = imageReductionPlan(backend, x, attrs.axis);
      if (perImage !== null) return imageReduction(name, backend, x, attrs.keepDims, perImage);
      return runWasmKernel(backend, name, { x }, attrs as unknown as Record<string, unknown>);
    }
    const out = backend.makeOutput(reducedShape(x, attrs.keepDims), 'float32');
    const count = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    write(name, heapView(backend, out), channelSums(backend, x, plan), count);
    return out;
  };
}

/** The sums into `view`, each divided by `count` for Mean. */
function write(name: 'Sum' | 'Mean', view: Float32Array, sums: Float64Array, count: number): void {
  if (name === 'Sum') view.set(sums);
  else for (let i = 0; i < sums.length; i++) view[i] = sums[i]! / count;
}

export const sum = channelReduction('Sum');
export const mean = channelReduction('Mean');

/**
 * Sum or Mean of x [N, …, C] over its middle axes (a global average pool: 0.39 ms for ResNet-20's
 * [32, 8, 8, 64] on tfjs-wasm's Mean, which transposes first), from the per-image channel sums.
 */
function imageReduction(
  name: 'Sum' | 'Mean',
  backend: BackendWasm,
  x: tf.TensorInfo,
  keepDims: boolean,
  plan: ChannelSumPlan,
): tf.TensorInfo {
  const rank = x.shape.length;
  const [images, channels] = [x.shape[0]!, x.shape[rank - 1]!];
  const shape = keepDims
    ? [images, ...x.shape.slice(1, -1).map(() => 1), channels]
    : [images, channels];
  const out = backend.makeOutput(shape, 'float32');
  const sums = imageChannelSums(backend, x, plan);
  write(
    name,
    heapView(backend, out),
    sums,
    x.shape.slice(1, -1).reduce((a, b) => a * b, 1),
  );
  return out;
}
