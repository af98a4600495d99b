// The zero-padded input the SIMD conv kernels read: [N, (OH − 1)·SH + KH, (OW − 1)·SW + KW, C],
// so that every tap of every output position is inside and the generated loop needs no bounds
// checks.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { ConvGeometry } from '../convGeometry.js';
import { heapAddress, wasmMemory } from '../wasmKernelContext.js';

/** x itself when it needs no padding, else a new padded tensor the caller releases. */
export function padToTaps(backend: BackendWasm, x: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const { batch: N, inHeight: H, inWidth: W, inChannels: C, padTop, padLeft } = g;
  const PH = (g.outHeight - 1) * g.strideHeight + g.filterHeight;
  const PW = (g.outWidth - 1) * g.strideWidth + g.filterWidth;
  if (padTop === 0 && padLeft === 0 && PH === H && PW === W) return x;
  const xp = backend.makeOutput([N, PH, PW, C], 'float32');
  // One view of the whole heap (after the allocation): rows move with copyWithin, no subarrays.
  const heap = new Float32Array(wasmMemory(backend).buffer);
  const src = heapAddress(backend, x) / 4;
  const dst = heapAddress(backend, xp) / 4;
  // Rows and columns of x that land inside the padded frame (rows past it are never read).
  const rows = Math.max(0, Math.min(H, PH - padTop));
  const cols = Math.max(0, Math.min(W, PW - padLeft)) * C;
  const rowLength = PW * C;
  const left = padLeft * C;
  const right = rowLength - left - cols;
  // Each element is written once: x's values, or 0 in the border around them (the frame is
  // most of the tensor, so zeroing all of it first would double the writes).
  for (let n = 0; n < N; n++) {
    const image = dst + n * PH * rowLength;
    const end = image + PH * rowLength;
    let to = image + padTop * rowLength;
    let from = src + n * H * W * C;
    heap.fill(0, image, to);
    for (let r = 0; r < rows; r++) {
      if (left > 0) heap.fill(0, to, to + left);
      heap.copyWithin(to + left, from, from + cols);
      if (right > 0) heap.fill(0, to + left + cols, to + rowLength);
      to += rowLength;
      from += W * C;
    }
    heap.fill(0, to, end);
  }
  return xp;
}
