// The part of the WebAssembly JS API the generated kernels use. The project compiles against
// ES2023 + Node types only (no DOM lib), which do not declare it, though Node has it globally.

/** A WebAssembly.Memory: the tfjs wasm heap our generated kernels import. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  validate(bytes: Uint8Array): boolean;
}

const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A new WebAssembly.Memory of at least `bytes` bytes (zeroed). */
export function createMemory(bytes: number): WasmMemory {
  return new api.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
}

/** Whether `value` is a WebAssembly.Memory. */
export function isWasmMemory(value: unknown): value is WasmMemory {
  return value instanceof api.Memory;
}

/** Compiles and instantiates `bytes` (synchronously: the modules are a few hundred bytes). */
export function instantiate(
  bytes: Uint8Array,
  imports: Record<string, Record<string, unknown>>,
): Record<string, unknown> {
  return new api.Instance(new api.Module(bytes), imports).exports;
}

/** Whether this engine accepts `bytes` as a module (e.g. one using SIMD instructions). */
export function validates(bytes: Uint8Array): boolean {
  return api.validate(bytes);
}

const kernelCache = new WeakMap<WasmMemory, Map<string, unknown>>();

/**
 * The exported `run` of the module `generate` builds, instantiated once per memory and `key`
 * (which names the kernel and every constant the module is specialized to).
 */
export function cachedKernel<F>(memory: WasmMemory, key: string, generate: () => Uint8Array): F {
  return perMemory(
    kernelCache,
    memory,
    key,
    () => instantiate(generate(), { env: { memory } }).run,
  ) as F;
}

/**
 * `make()`'s value for `memory` and `key`, made once and kept in `cache`. The kernels' hot paths
 * look up their generated functions by a number here: a string key built per call, and the
 * arrays of a plan made per call, cost microseconds each in a training step, where every kernel's
 * JavaScript runs with caches just flushed by the previous kernel's maps.
 */
export function perMemory<K, T>(
  cache: WeakMap<WasmMemory, Map<K, T>>,
  memory: WasmMemory,
  key: K,
  make: () => T,
): T {
  let byKey = cache.get(memory);
  if (byKey === undefined) {
    byKey = new Map();
    cache.set(memory, byKey);
  }
  let value = byKey.get(key);
  if (value === undefined) {
    value = make();
    byKey.set(key, value);
  }
  return value;
}
