// DepthwiseConv2dNativeBackpropFilter/Input for the WASM backend, which tfjs-backend-wasm 4.22
// lacks. Direct loops on the wasm heap: depthwise convs are memory-bound (one multiply-add per
// loaded value), so a scalar loop is close to what SIMD would give, and it honours every stride,
// dilation and padding the kernel API passes.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convGeometry, type ConvGradAttrs } from './convGeometry.js';
import { convFilterGradLoop, convInputGradLoop } from './convGradLoops.js';
import { heapView, makeZeros } from './wasmKernelContext.js';

/** The kernel function registered as DepthwiseConv2dNativeBackpropFilter for 'wasm'. */
export function depthwiseConv2dBackpropFilter(args: {
  inputs: { x: tf.TensorInfo; dy: tf.TensorInfo };
  attrs: ConvGradAttrs & { filterShape: [number, number, number, number] };
  backend: BackendWasm;
}): tf.TensorInfo {
  const { inputs, attrs, backend } = args;
  const g = convGeometry(inputs.x.shape, attrs.filterShape, attrs, true);
  const dw = makeZeros(backend, attrs.filterShape);
  const [x, dy, out] = [inputs.x, inputs.dy, dw].map((t) => heapView(backend, t)) as [
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  convFilterGradLoop(g, x, dy, out, true);
  return dw;
}

/** The kernel function registered as DepthwiseConv2dNativeBackpropInput for 'wasm'. */
export function depthwiseConv2dBackpropInput(args: {
  inputs: { dy: tf.TensorInfo; filter: tf.TensorInfo };
  attrs: ConvGradAttrs & { inputShape: [number, number, number, number] };
  backend: BackendWasm;
}): tf.TensorInfo {
  const { inputs, attrs, backend } = args;
  const g = convGeometry(attrs.inputShape, inputs.filter.shape, attrs, true);
  const dx = makeZeros(backend, attrs.inputShape);
  const [w, dy, out] = [inputs.filter, inputs.dy, dx].map((t) => heapView(backend, t)) as [
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  convInputGradLoop(g, w, dy, out, true);
  return dx;
}
