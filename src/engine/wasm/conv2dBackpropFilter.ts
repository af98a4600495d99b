// Conv2DBackpropFilter for the WASM backend, which tfjs-backend-wasm 4.22 lacks (tfjs#8474).
//
// The filter gradient is itself a convolution: dw[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s + kh·d − p, …, ci]
// · dy[n,oh,ow,co]. Reading the batch axis as channels, ci as the batch, and the output positions
// (oh, ow) as filter taps, this is a forward conv of x^T [C,H,W,N] with dy^T [OH,OW,N,CO] whose
// stride is the original dilation and whose dilation is the original stride. That runs on
// XNNPACK's SIMD convolution instead of a scalar loop.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convGeometry, type ConvGradAttrs } from './convGeometry.js';
import { paddedInput, paddedSize } from './simd/padToTaps.js';
import { runFilterGradSimd, simdFilterGradApplies } from './simd/filterGradSimd.js';
import { winogradFilterGrad, winogradFilterGradApplies } from './winogradConv.js';
import {
  heapAddress,
  heapView,
  makeZeros,
  release,
  runWasmKernel,
  wasmMemory,
  simdKernelsAvailable,
} from './wasmKernelContext.js';

interface Conv2DBackpropFilterAttrs extends ConvGradAttrs {
  filterShape: [number, number, number, number];
}

/** The kernel function registered as Conv2DBackpropFilter for 'wasm'. */
export function conv2dBackpropFilter(args: {
  inputs: { x: tf.TensorInfo; dy: tf.TensorInfo };
  attrs: Conv2DBackpropFilterAttrs;
  backend: BackendWasm;
}): tf.TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x, dy } = inputs;
  const g = convGeometry(x.shape, attrs.filterShape, attrs, false);
  const { filterHeight: KH, filterWidth: KW, inChannels: C, outChannels: CO } = g;

  // Pad the bottom/right just enough for the transposed conv to produce ≥ KH×KW taps; rows the
  // forward conv never reached (floor rounding) then give extra taps that are cropped below.
  const spanH = (g.outHeight - 1) * g.strideHeight + 1;
  const spanW = (g.outWidth - 1) * g.strideWidth + 1;
  const padBottom = Math.max(0, (KH - 1) * g.dilationHeight + spanH - g.inHeight - g.padTop);
  const padRight = Math.max(0, (KW - 1) * g.dilationWidth + spanW - g.inWidth - g.padLeft);
  if (g.outHeight <= 0 || g.outWidth <= 0 || g.batch === 0) {
    return makeZeros(backend, attrs.filterShape);
  }
  if (winogradFilterGradApplies(backend, g)) return winogradFilterGrad(backend, x, dy, g);
  if (simdFilterGradApplies(g) && simdKernelsAvailable(backend)) {
    // x as it is where every tap lies inside it from (0, 0) (no top or left padding, e.g. a 1×1
    // stride-2 conv); else a copy with the padding.
    const [PH, PW] = paddedSize(g);
    const inside = g.padTop === 0 && g.padLeft === 0 && PH <= g.inHeight && PW <= g.inWidth;
    const dw = backend.makeOutput([KH, KW, C, CO], 'float32');
    const scratch = backend.makeOutput([KH, KW, C, CO], 'float32');
    const xp = inside
      ? { address: heapAddress(backend, x), done: () => {} }
      : paddedInput(backend, x, g);
    runFilterGradSimd({
      memory: wasmMemory(backend),
      xp: xp.address,
      xHeight: inside ? g.inHeight : PH,
      xWidth: inside ? g.inWidth : PW,
      dy: heapAddress(backend, dy),
      dw: heapAddress(backend, dw),
      scratch: heapAddress(backend, scratch),
      batch: g.batch,
      outHeight: g.outHeight,
      outWidth: g.outWidth,
      filterHeight: KH,
      filterWidth: KW,
      strideHeight: g.strideHeight,
      strideWidth: g.strideWidth,
      inChannels: C,
      outChannels: CO,
    });
    xp.done();
    release(backend, scratch);
    return dw;
  }

  const xT = runWasmKernel(backend, 'Transpose', { x }, { perm: [3, 1, 2, 0] });
  const dyT = runWasmKernel(backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const taps = runWasmKernel(
    backend,
    'Conv2D',
    { x: xT, filter: dyT },
    {
      strides: [g.dilationHeight, g.dilationWidth],
      dilations: [g.strideHeight, g.strideWidth],
      pad: [
        [0, 0],
        [g.padTop, padBottom],
        [g.padLeft, padRight],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    },
  );
  release(backend, xT);
  release(backend, dyT);

  // taps is [C, TH, TW, CO] with TH ≥ KH, TW ≥ KW: crop and reorder to [KH, KW, C, CO].
  const [, TH = 0, TW = 0] = taps.shape;
  const dw = backend.makeOutput([KH, KW, C, CO], 'float32');
  const src = heapView(backend, taps);
  const out = heapView(backend, dw);
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      for (let ci = 0; ci < C; ci++) {
        const from = ((ci * TH + kh) * TW + kw) * CO;
        out.set(src.subarray(from, from + CO), ((kh * KW + kw) * C + ci) * CO);
      }
    }
  }
  release(backend, taps);
  return dw;
}
