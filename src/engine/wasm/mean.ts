// Mean for the WASM backend: over every axis but the last (BatchNorm's batch mean and variance,
// 44 calls in a ResNet-20 step) it is the blocked SIMD channel sum (channelSums.ts) divided by
// the count; tfjs-wasm's Mean transposes the reduced axes innermost first. Any other mean runs
// on tfjs-wasm's own.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { channelReductionPlan, channelSums, reducedShape } from './channelSums.js';
import { heapView, runWasmKernel } from './wasmKernelContext.js';

interface MeanAttrs {
  axis: number | number[];
  keepDims: boolean;
}

/** The kernel function registered as Mean for 'wasm'. */
export function mean(args: {
  inputs: { x: tf.TensorInfo };
  attrs: MeanAttrs;
  backend: BackendWasm;
}): tf.TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x } = inputs;
  const plan = channelReductionPlan(backend, x, attrs.axis);
  if (plan === null) {
    return runWasmKernel(backend, 'Mean', { x }, attrs as unknown as Record<string, unknown>);
  }
  const out = backend.makeOutput(reducedShape(x, attrs.keepDims), 'float32');
  const sums = channelSums(backend, x, plan);
  const count = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const means = heapView(backend, out);
  for (let c = 0; c < sums.length; c++) means[c] = sums[c]! / count;
  return out;
}
