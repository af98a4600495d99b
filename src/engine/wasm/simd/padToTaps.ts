// The zero-padded input the SIMD conv kernels read: [N, (OH − 1)·SH + KH, (OW − 1)·SW + KW, C],
// so that every tap of every output position is inside and the generated loop needs no bounds
// checks.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { ConvGeometry } from '../convGeometry.js';
import { heapView } from '../wasmKernelContext.js';

/** x itself when it needs no padding, else a new padded tensor the caller releases. */
export function padToTaps(backend: BackendWasm, x: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const { batch: N, inHeight: H, inWidth: W, inChannels: C, padTop, padLeft } = g;
  const PH = (g.outHeight - 1) * g.strideHeight + g.filterHeight;
  const PW = (g.outWidth - 1) * g.strideWidth + g.filterWidth;
  if (padTop === 0 && padLeft === 0 && PH === H && PW === W) return x;
  const xp = backend.makeOutput([N, PH, PW, C], 'float32');
  const src = heapView(backend, x);
  const out = heapView(backend, xp);
  // Rows and columns of x that land inside the padded frame (rows past it are never read).
  const rows = Math.max(0, Math.min(H, PH - padTop));
  const cols = Math.max(0, Math.min(W, PW - padLeft)) * C;
  const rowLength = PW * C;
  // Each element is written once: x's values, or 0 in the border around them (the frame is
  // most of the tensor, so zeroing all of it first would double the writes).
  for (let n = 0; n < N; n++) {
    const image = n * PH * rowLength;
    out.fill(0, image, image + padTop * rowLength);
    for (let r = 0; r < rows; r++) {
      const from = (n * H + r) * W * C;
      const to = image + (r + padTop) * rowLength;
      out.fill(0, to, to + padLeft * C);
      out.set(src.subarray(from, from + cols), to + padLeft * C);
      out.fill(0, to + padLeft * C + cols, to + rowLength);
    }
    out.fill(0, image + (padTop + rows) * rowLength, image + PH * rowLength);
  }
  return xp;
}
