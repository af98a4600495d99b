// A residual Add and the ReLU after it as two WASM kernels (forward, gradient), for
// CompiledModel's fused pair (src/engine/model/addRelu.ts): one pass each way over the map.
import tf from '../tfjs.cjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ROW, runAddRelu, runReluGrad } from './simd/reluSimd.js';
import { heapAddress, heapView, simdKernelsAvailable, wasmMemory } from './wasmKernelContext.js';

/** Kernel names (registered for 'wasm' only). */
export const ADD_RELU = 'NnbAddRelu';
export const RELU_GRAD = 'NnbReluGrad';

/** Whether the kernels take these tensors: float32, the same shape, SIMD available. */
export function addReluApplies(backend: BackendWasm, a: tf.TensorInfo, b: tf.TensorInfo): boolean {
  return (
    a.dtype === 'float32' &&
    b.dtype === 'float32' &&
    tf.util.arraysEqual(a.shape, b.shape) &&
    simdKernelsAvailable(backend)
  );
}

/** Runs `simd` on the whole rows, then `each` in JS on the floats after them. */
function elementwise(
  backend: BackendWasm,
  first: tf.TensorInfo,
  second: tf.TensorInfo,
  simd: typeof runAddRelu,
  each: (u: number, v: number) => number,
): tf.TensorInfo {
  const out = backend.makeOutput([...first.shape], 'float32');
  const size = tf.util.sizeFromShape(first.shape);
  const rows = Math.floor(size / ROW);
  if (rows > 0) {
    simd(
      wasmMemory(backend),
      heapAddress(backend, first),
      heapAddress(backend, second),
      rows,
      heapAddress(backend, out),
    );
  }
  const u = heapView(backend, first);
  const v = heapView(backend, second);
  const o = heapView(backend, out);
  for (let i = rows * ROW; i < size; i++) o[i] = each(u[i]!, v[i]!);
  return out;
}

/** max(a + b, 0). */
export function addRelu({
  inputs,
  backend,
}: {
  inputs: { a: tf.TensorInfo; b: tf.TensorInfo };
  backend: BackendWasm;
}): tf.TensorInfo {
  return elementwise(backend, inputs.a, inputs.b, runAddRelu, (a, b) => {
    const s = Math.fround(a + b);
    return s < 0 ? 0 : s;
  });
}

/** dy where the ReLU's output y is positive, else 0. */
export function reluGrad({
  inputs,
  backend,
}: {
  inputs: { dy: tf.TensorInfo; y: tf.TensorInfo };
  backend: BackendWasm;
}): tf.TensorInfo {
  return elementwise(backend, inputs.dy, inputs.y, runReluGrad, (dy, y) => (y > 0 ? dy : 0));
}
