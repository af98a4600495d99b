// A residual Add and the ReLU after it as two WASM kernels (forward, gradient), for
// CompiledModel's fused pair (src/engine/model/addRelu.ts): one pass each way over the map. Where
// the ReLU's output has two readers (a residual block's input: its first conv and its shortcut),
// the forward hands out two tensors of the same data, so that the gradient receives the two
// readers' gradients apart and adds them inside the mask's pass (ADD_RELU_FORK, RELU_GRAD_SUM).
import tf from '../tfjs.cjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ROW, runAddRelu, runReluGrad, runReluGradSum } from './simd/reluSimd.js';
import { heapAddress, heapView, simdKernelsAvailable, wasmMemory } from './wasmKernelContext.js';
import type { WasmMemory } from './simd/wasmApi.js';

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

/**
 * Runs `simd` (the maps' byte addresses, the row count, the output's) on the whole rows of maps of
 * one shape, then `each` in JS on the floats after them (their values at that index).
 */
function elementwise(
  backend: BackendWasm,
  maps: readonly tf.TensorInfo[],
  simd: (memory: WasmMemory, addresses: readonly number[], rows: number, out: number) => void,
  each: (...values: number[]) => number,
): tf.TensorInfo {
  const shape = maps[0]!.shape;
  const out = backend.makeOutput([...shape], 'float32');
  const size = tf.util.sizeFromShape(shape);
  const rows = Math.floor(size / ROW);
  if (rows > 0) {
    const addresses = maps.map((m) => heapAddress(backend, m));
    simd(wasmMemory(backend), addresses, rows, heapAddress(backend, out));
  }
  // Views after the last allocation.
  const views = maps.map((m) => heapView(backend, m));
  const o = heapView(backend, out);
  for (let i = rows * ROW; i < size; i++) o[i] = each(...views.map((v) => v[i]!));
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
  return elementwise(backend, [inputs.a, inputs.b], runAddRelu, (a, b) => {
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
  return elementwise(backend, [inputs.dy, inputs.y], runReluGrad, (dy, y) => (y > 0 ? dy : 0));
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
  return elementwise(backend, [dy1, dy2, y], runReluGradSum, (u, v, w) =>
    w! > 0 ? Math.fround(u! + v!) : 0,
  );
}
