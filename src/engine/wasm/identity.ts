// Identity for the WASM backend without a copy. tfjs clones every tensor the gradient tape saves
// for the backward pass (an Identity kernel each: ~40 per LeNet-5 step), and tfjs-backend-wasm
// 4.22 copies the whole buffer for each. Tensor data is immutable in tfjs (a Variable's assign
// swaps its data, never writes into it), so the clone can share the data with a reference count,
// as tfjs' CPU backend and wasm's own Reshape do.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { runWasmKernel } from './wasmKernelContext.js';

/** The kernel function registered as Identity for 'wasm'. */
export function identity(args: {
  inputs: { x: tf.TensorInfo };
  backend: BackendWasm;
}): tf.TensorInfo {
  const { inputs, backend } = args;
  const { x } = inputs;
  if (x.dtype === 'string') return runWasmKernel(backend, 'Identity', { x });
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
