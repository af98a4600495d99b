// MaxPoolGrad for the WASM backend, replacing tfjs-backend-wasm's (11.6 ms for LeNet's two pools
// per step, ENGINE-NOTES.md). One pass over the windows: find the first strict maximum — the tie
// rule of tfjs' CPU kernel, which matters after a ReLU where whole windows are 0 — and add dy there.
// Disjoint windows (the common stride = size) take a faster path that reads the input in order.
import tf from '../tfjs.cjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { runMaxPoolGradSimd, simdPoolGradApplies } from './simd/maxPoolGradSimd.js';
import {
  heapAddress,
  heapView,
  makeZeros,
  wasmMemory,
  simdKernelsAvailable,
} from './wasmKernelContext.js';

interface MaxPoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The kernel function registered as MaxPoolGrad for 'wasm'. */
export function maxPoolGrad(args: {
  inputs: { dy: tf.TensorInfo; input: tf.TensorInfo; output: tf.TensorInfo };
  attrs: MaxPoolGradAttrs;
  backend: BackendWasm;
}): tf.TensorInfo {
  const { inputs, attrs, backend } = args;
  const { dy, input } = inputs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const geometry = { ...info, padTop: info.padInfo.top, padLeft: info.padInfo.left };
  const simdShape = {
    ...geometry,
    batch: info.batchSize,
    channels: info.inChannels,
  };
  if (simdPoolGradApplies(simdShape) && simdKernelsAvailable(backend)) {
    const tiled =
      info.outHeight * info.filterHeight === info.inHeight &&
      info.outWidth * info.filterWidth === info.inWidth;
    // Windows tiling the input write every dx cell; otherwise the cells outside stay 0.
    const out = tiled
      ? backend.makeOutput(input.shape, 'float32')
      : makeZeros(backend, input.shape);
    runMaxPoolGradSimd(wasmMemory(backend), simdShape, {
      x: heapAddress(backend, input),
      dy: heapAddress(backend, dy),
      dx: heapAddress(backend, out),
      batch: info.batchSize,
    });
    return out;
  }
  const dxInfo = makeZeros(backend, input.shape);
  const x = heapView(backend, input);
  const g = heapView(backend, dy);
  const dx = heapView(backend, dxInfo);
  const disjoint = info.strideHeight >= info.filterHeight && info.strideWidth >= info.filterWidth;
  const inside =
    geometry.padTop === 0 &&
    geometry.padLeft === 0 &&
    (info.outHeight - 1) * info.strideHeight + info.filterHeight <= info.inHeight &&
    (info.outWidth - 1) * info.strideWidth + info.filterWidth <= info.inWidth;
  if (disjoint && inside) {
    disjointInsideGrad(geometry, x, g, dx);
  } else if (disjoint) {
    disjointWindowsGrad(geometry, x, g, dx);
  } else {
    overlappingWindowsGrad(geometry, x, g, dx);
  }
  return dxInfo;
}

interface PoolGeometry {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * Disjoint windows that all lie inside the input, no padding (LeNet's 2×2/2 after the engine's own
 * padding): per output value, its window's taps in row-major order; the first strict maximum
 * receives dy. Each input cell belongs to at most one window, so dx is written, not accumulated.
 */
function disjointInsideGrad(
  p: PoolGeometry,
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = p;
  const { filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = p;
  const rowStride = W * C;
  let o = 0;
  for (let n = 0; n < p.batchSize; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const base = ((n * H + oh * SH) * W + ow * SW) * C;
        for (let c = 0; c < C; c++, o++) {
          let best = -Infinity;
          let at = -1;
          for (let i = 0; i < FH; i++) {
            const row = base + i * rowStride + c;
            for (let j = 0; j < FW; j++) {
              const v = x[row + j * C]!;
              if (v > best) {
                best = v;
                at = row + j * C;
              }
            }
          }
          if (at >= 0) dx[at] = dy[o]!;
        }
      }
    }
  }
}

/**
 * Windows that do not overlap (stride ≥ size, e.g. LeNet's 2×2/2): scan each output row's input
 * rows once in memory order, keeping a running maximum per (window, channel). Row-major order
 * within a window is kept, so the first maximum wins as on the CPU.
 */
function disjointWindowsGrad(
  p: PoolGeometry,
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = p;
  const { filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = p;
  const { padTop, padLeft, batchSize } = p;
  // The window (× C) each input column belongs to, or −1: computed once, not per pixel.
  const windowOf = new Int32Array(W);
  for (let iw = 0; iw < W; iw++) {
    const ow = Math.floor((iw + padLeft) / SW);
    windowOf[iw] = ow < OW && iw + padLeft - ow * SW < FW ? ow * C : -1;
  }
  const best = new Float32Array(OW * C);
  const at = new Int32Array(OW * C);
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < OH; oh++) {
      best.fill(-Infinity);
      at.fill(-1);
      const top = oh * SH - padTop;
      const rowEnd = Math.min(H, top + FH);
      for (let ih = Math.max(0, top); ih < rowEnd; ih++) {
        const rowBase = (n * H + ih) * W * C;
        for (let iw = 0; iw < W; iw++) {
          const k = windowOf[iw]!;
          if (k < 0) continue;
          const src = rowBase + iw * C;
          for (let c = 0; c < C; c++) {
            const v = x[src + c]!;
            if (v > best[k + c]!) {
              best[k + c] = v;
              at[k + c] = src + c;
            }
          }
        }
      }
      const dyBase = (n * OH + oh) * OW * C;
      for (let k = 0; k < OW * C; k++) {
        const i = at[k]!;
        if (i >= 0) dx[i] = dy[dyBase + k]!;
      }
    }
  }
}

/** Any windows: per window, find the first strict maximum per channel and add dy there. */
function overlappingWindowsGrad(
  p: PoolGeometry,
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = p;
  const best = new Float32Array(C);
  const at = new Int32Array(C);
  for (let n = 0; n < p.batchSize; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const top = oh * p.strideHeight - p.padTop;
      const rowEnd = Math.min(H, top + p.filterHeight);
      for (let ow = 0; ow < OW; ow++) {
        const left = ow * p.strideWidth - p.padLeft;
        const colEnd = Math.min(W, left + p.filterWidth);
        best.fill(-Infinity);
        at.fill(-1);
        for (let ih = Math.max(0, top); ih < rowEnd; ih++) {
          for (let iw = Math.max(0, left); iw < colEnd; iw++) {
            const base = ((n * H + ih) * W + iw) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c]!;
              if (v > best[c]!) {
                best[c] = v;
                at[c] = base + c;
              }
            }
          }
        }
        const dyBase = ((n * OH + oh) * OW + ow) * C;
        for (let c = 0; c < C; c++) {
          const i = at[c]!;
          if (i >= 0) dx[i]! += dy[dyBase + c]!;
        }
      }
    }
  }
}
