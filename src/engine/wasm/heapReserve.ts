// Growing the tfjs wasm heap once, before the first training step, to about what the step will
// hold. Left to itself the heap grows by ~20 % at a time through the first step (12 times for
// ResNet-20 at batch 32, 16 → 150 MB), and V8 ran full garbage collections along with the
// growths (16 mark-compacts between a ResNet-20 run's start and its first batch, `node
// --trace-gc`, freeing nothing): that step took ~0.8 s where the next ones take ~0.2. Grown at
// once: ~0.45 s, 2 mark-compacts (docs/performance.md).
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import tf from '../tfjs.cjs';
import { wasmMemory } from './wasmKernelContext.js';

/**
 * Heap per byte of one sample's activations (the layers' outputs) a training step holds at its
 * peak: measured 1.75 for ResNet-20 (150 MB for 32 samples × 2.70 MB), rounded up.
 */
export const HEAP_PER_ACTIVATION_BYTE = 2;

/** The most grown ahead of need: beyond it the heap grows as the step asks. */
export const MAX_RESERVE_BYTES = 1 << 30;

/** Heap bytes to have before a training step of `samples` on a model with these activations. */
export function trainingHeapBytes(activationBytesPerSample: number, samples: number): number {
  return Math.min(HEAP_PER_ACTIVATION_BYTE * activationBytesPerSample * samples, MAX_RESERVE_BYTES);
}

/**
 * On the wasm backend, when the heap is smaller than `bytes`, allocates `bytes` and frees them
 * (tfjs' allocator keeps the space): the heap grows once, to what it holds now plus `bytes`. A
 * no-op on other backends, when the heap is that large already, or when the allocation fails
 * (the step then grows the heap as it goes, as before). Returns the heap's size in bytes
 * afterwards (0 off wasm).
 */
export function reserveWasmHeap(bytes: number): number {
  if (tf.getBackend() !== 'wasm') return 0;
  const backend = tf.backend() as unknown as BackendWasm;
  const memory = wasmMemory(backend);
  if (memory.buffer.byteLength < bytes) {
    try {
      const block = backend.makeOutput([Math.ceil(bytes / 4)], 'float32');
      backend.disposeData(block.dataId);
    } catch {
      // Out of wasm memory: nothing reserved.
    }
  }
  return wasmMemory(backend).buffer.byteLength;
}
