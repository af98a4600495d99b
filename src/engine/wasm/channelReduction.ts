// Sum and Mean for the WASM backend. Over every axis but the last — every bias gradient (Sum),
// BatchNorm's batch mean and variance (Mean, 44 calls in a ResNet-20 step) — they run on the
// project's blocked SIMD channel sum (channelSums.ts), the mean divided by the count; tfjs-wasm's
// own transposes the reduced axes innermost first. Any other sum or mean runs on tfjs-wasm's.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { channelReductionPlan, channelSums, reducedShape } from './channelSums.js';
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
      return runWasmKernel(backend, name, { x }, attrs as unknown as Record<string, unknown>);
    }
    const out = backend.makeOutput(reducedShape(x, attrs.keepDims), 'float32');
    const sums = channelSums(backend, x, plan);
    const view = heapView(backend, out);
    if (name === 'Sum') view.set(sums);
    else {
      const count = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
      for (let c = 0; c < sums.length; c++) view[c] = sums[c]! / count;
    }
    return out;
  };
}

export const sum = channelReduction('Sum');
export const mean = channelReduction('Mean');
