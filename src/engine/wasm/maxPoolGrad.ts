// MaxPoolGrad for the WASM backend, replacing tfjs-backend-wasm's (11.6 ms for LeNet's two pools
// per step, ENGINE-NOTES.md). One pass over the windows: find the first strict maximum — the tie
// rule of tfjs' CPU kernel, which matters after a ReLU where whole windows are 0 — and add dy there.
import { backend_util } from '@tensorflow/tfjs';
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, makeZeros } from './wasmKernelContext.js';

interface MaxPoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
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
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const dxInfo = makeZeros(backend, input.shape);
  const x = heapView(backend, input);
  const g = heapView(backend, dy);
  const dx = heapView(backend, dxInfo);
  const best = new Float32Array(C);
  const at = new Int32Array(C);
  for (let n = 0; n < info.batchSize; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const top = oh * info.strideHeight - info.padInfo.top;
      const rowEnd = Math.min(H, top + info.filterHeight);
      for (let ow = 0; ow < OW; ow++) {
        const left = ow * info.strideWidth - info.padInfo.left;
        const colEnd = Math.min(W, left + info.filterWidth);
        best.fill(-Infinity);
        at.fill(-1);
        // Row-major window scan with channels innermost: contiguous NHWC reads.
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
          if (i >= 0) dx[i]! += g[dyBase + c]!;
        }
      }
    }
  }
  return dxInfo;
}
