// Access to the tfjs WASM backend from inside a kernel: run another registered wasm kernel, read
// or write a tensor's memory on the wasm heap, free intermediates.
import tf from '../tfjs.cjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { isWasmMemory, validates, type WasmMemory } from './simd/wasmApi.js';
import { FunctionBody, V128, moduleBytes } from './simd/wasmEmitter.js';

type Attrs = Record<string, unknown>;
type Inputs = Record<string, tf.TensorInfo>;

/** The original kernel functions, taken before any of ours replaced them, so we can fall back. */
const originalKernels = new Map<string, tf.KernelFunc>();

/** Remembers the currently registered wasm kernel `name` (called before we replace it). */
export function rememberOriginalKernel(name: string): tf.KernelConfig | undefined {
  const config = tf.getKernel(name, 'wasm');
  if (config !== undefined && !originalKernels.has(name)) {
    originalKernels.set(name, config.kernelFunc);
  }
  return config;
}

/**
 * Runs the wasm kernel `name` (the original one if we replaced it) and returns its output.
 * The caller owns the result and must release it with `release` unless it is returned.
 */
export function runWasmKernel(
  backend: BackendWasm,
  name: string,
  inputs: Inputs,
  attrs: Attrs = {},
): tf.TensorInfo {
  const kernelFunc = originalKernels.get(name) ?? tf.getKernel(name, 'wasm')?.kernelFunc;
  if (kernelFunc === undefined) throw new Error(`WASM kernel '${name}' is not registered.`);
  const out = kernelFunc({ inputs, attrs: attrs as tf.NamedAttrMap, backend });
  if (Array.isArray(out)) throw new Error(`WASM kernel '${name}' returned several outputs.`);
  return out;
}

/** Whether the active backend is 'wasm' with our kernel `name` registered (model code's routing). */
export function onWasmWith(name: string): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(name, 'wasm') !== undefined;
}

/** Frees an intermediate tensor created inside a kernel. */
export function release(backend: BackendWasm, info: tf.TensorInfo): void {
  backend.disposeData(info.dataId);
}

/**
 * A Float32Array view of a tensor's memory on the wasm heap. Take views only after the last
 * allocation of the kernel: `makeOutput` may grow the heap and detach views taken before it.
 */
export function heapView(backend: BackendWasm, info: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** A float32 tensor of `shape` on the wasm heap filled by `fill` (which receives its view). */
export function makeFloat32(
  backend: BackendWasm,
  shape: number[],
  fill: (out: Float32Array) => void,
): tf.TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  fill(heapView(backend, out));
  return out;
}

/** A zero-filled float32 tensor: `makeOutput` does not clear the recycled heap memory. */
export function makeZeros(backend: BackendWasm, shape: number[]): tf.TensorInfo {
  return makeFloat32(backend, shape, (out) => out.fill(0));
}

/** A reshaped alias of `info` sharing its memory (the wasm Reshape kernel only bumps a count). */
export function reshapeInfo(
  backend: BackendWasm,
  info: tf.TensorInfo,
  shape: number[],
): tf.TensorInfo {
  return runWasmKernel(backend, 'Reshape', { x: info }, { shape });
}

/** The byte address of a tensor's data on the wasm heap (stable while the tensor lives). */
export function heapAddress(backend: BackendWasm, info: tf.TensorInfo): number {
  return backend.dataIdMap.get(info.dataId)!.memoryOffset;
}

/** The wasm instance's memory, which the project's generated SIMD kernels import. */
export function wasmMemory(backend: BackendWasm): WasmMemory {
  const { asm } = backend.wasm as unknown as { asm?: { memory?: unknown } };
  if (!isWasmMemory(asm?.memory)) {
    throw new Error('The tfjs wasm module does not expose its memory (asm.memory).');
  }
  return asm.memory;
}

let simdSupported: boolean | undefined;

/**
 * Whether the project's generated SIMD kernels can run on this backend: the engine validates
 * SIMD instructions and the tfjs module exposes its memory. Where not (tfjs' non-SIMD build on
 * an old engine, a build without `asm.memory`), the kernels keep their XNNPACK/JS paths.
 */
export function simdKernelsAvailable(backend: BackendWasm): boolean {
  if (simdSupported === undefined) {
    const probe = new FunctionBody(0);
    probe.v128Zero().set(probe.local(V128));
    simdSupported = validates(moduleBytes(0, probe));
  }
  const { asm } = backend.wasm as unknown as { asm?: { memory?: unknown } };
  return simdSupported && isWasmMemory(asm?.memory);
}
