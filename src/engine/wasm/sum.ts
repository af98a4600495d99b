// Sum for the WASM backend: a float32 sum over every axis but the last — every bias gradient —
// runs on the project's blocked SIMD lane sum (channelSums.ts); any other sum on tfjs-wasm's own.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { channelReductionPlan, channelSums, reducedShape } from './channelSums.js';
import { heapView, runWasmKernel } from './wasmKernelContext.js';

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
  const plan = channelReductionPlan(backend, x, attrs.axis);
  if (plan === null) {
    return runWasmKernel(backend, 'Sum', { x }, attrs as unknown as Record<string, unknown>);
  }
  const out = backend.makeOutput(reducedShape(x, attrs.keepDims), 'float32');
  const sums = channelSums(backend, x, plan);
  heapView(backend, out).set(sums);
  return out;
}
