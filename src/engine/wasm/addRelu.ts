// A residual Add and the ReLU after it as two WASM kernels (forward, gradient), for
// CompiledModel's fused pair (src/engine/model/addRelu.ts): one pass each way over the map. Where
// the ReLU's output has two readers (a residual block's input: its first conv and its shortcut),
// the forward hands out two tensors of the same data, so that the gradient receives the two
// readers' gradients apart and adds them inside the mask's pass (ADD_RELU_FORK, RELU_GRAD_SUM).
import tf from '../tfjs.cjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ROW, runAddRelu, runReluGrad, runReluGradSum } from './simd/reluSimd.js';
import { heapAddress, heapView, simdKernelsAvailable, wasmMemory } from './wasmKernelContext.js';

/** Kernel names (registered for 'wasm' only). */
export const ADD_RELU = 'NnbAddRelu';
export const RELU_GRAD = 'NnbReluGrad';
export const ADD_RELU_FORK = 'NnbAddReluFork';
export const RELU_GRAD_SUM = 'NnbReluGradSum';

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

/** [y, y] with y = max(a + b, 0): two tensors sharing y's data (as Identity shares it). */
export function addReluFork({
  inputs,
  backend,
}: {
  inputs: { a: tf.TensorInfo; b: tf.TensorInfo };
  backend: BackendWasm;
}): tf.TensorInfo[] {
  const y = addRelu({ inputs, backend });
  backend.incRef(y.dataId);
  return [y, { dataId: y.dataId, shape: y.shape, dtype: y.dtype }];
}

/** dy1 + dy2 where the ReLU's output y is positive, else 0. */
export function reluGradSum({
  inputs,
  backend,
}: {
  inputs: { dy1: tf.TensorInfo; dy2: tf.TensorInfo; y: tf.TensorInfo };
  backend: BackendWasm;
}): tf.TensorInfo {
  const { dy1, dy2, y } = inputs;
  const out = backend.makeOutput([...y.shape], 'float32');
  const size = tf.util.sizeFromShape(y.shape);
  const rows = Math.floor(size / ROW);
  if (rows > 0) {
    runReluGradSum(
      wasmMemory(backend),
      heapAddress(backend, dy1),
      heapAddress(backend, dy2),
      heapAddress(backend, y),
      rows,
      heapAddress(backend, out),
    );
  }
  const u = heapView(backend, dy1);
  const v = heapView(backend, dy2);
  const w = heapView(backend, y);
  const o = heapView(backend, out);
  for (let i = rows * ROW; i < size; i++) o[i] = w[i]! > 0 ? Math.fround(u[i]! + v[i]!) : 0;
  return out;
}
