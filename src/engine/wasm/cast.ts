// Cast for the WASM backend without a copy when the dtype does not change. tfjs' ReLU gradient is
// dy · cast(step(x), 'float32') — step already float32 — so every ReLU's backward pass copied a
// whole activation map (0.18 ms for LeNet's conv1 at batch 32). Tensor data is immutable in
// tfjs, so the cast shares it with a reference count, as our Identity and tfjs' CPU Cast do.
// Casting numbers to bool is fixed on the way: tfjs-wasm 4.22 stores the number itself in the
// byte (−2.2 → 254, 0.4 → 0) where the CPU backend stores x ≠ 0.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { runWasmKernel } from './wasmKernelContext.js';

/** The kernel function registered as Cast for 'wasm'. */
export function cast(args: {
  inputs: { x: tf.TensorInfo };
  attrs: { dtype: tf.DataType };
  backend: BackendWasm;
}): tf.TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x } = inputs;
  if (attrs.dtype === 'bool' && (x.dtype === 'float32' || x.dtype === 'int32')) {
    const out = backend.makeOutput(x.shape, 'bool');
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
    return out;
  }
  if (x.dtype !== attrs.dtype || x.dtype === 'string') {
    return runWasmKernel(backend, 'Cast', { x }, { dtype: attrs.dtype });
  }
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
