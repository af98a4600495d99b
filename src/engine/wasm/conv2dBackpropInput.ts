// Conv2DBackpropInput for the WASM backend, replacing tfjs-backend-wasm's scalar loop (25 ms of a
// 60 ms LeNet step, ENGINE-NOTES.md).
//
// The input gradient is the forward conv of dy — spread out by the stride (zeros between
// rows/columns) and padded by (effective kernel − 1 − pad) — with the filter flipped in space and
// its in/out channels swapped, at the original dilation, run by the Conv2D kernel (conv2d.ts: the
// direct SIMD loop or XNNPACK); 3×3
// stride-1 convs that Winograd takes run there (winogradConv.ts); stride-1 convs with under 8
// input channels as a product and a col2im (gemmInputGrad.ts). Strided, undilated convs skip
// the zeros: one conv per stride phase (stridedInputGrad.ts).
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { conv2d } from './conv2d.js';
import { convGeometry, type ConvGeometry, type ConvGradAttrs } from './convGeometry.js';
import { gemmInputGrad, gemmInputGradApplies } from './gemmInputGrad.js';
import { stridedInputGrad, stridedInputGradApplies } from './stridedInputGrad.js';
import { heapView, makeFloat32, makeZeros, release } from './wasmKernelContext.js';
import { inputGradGeometry, winogradApplies, winogradInputGrad } from './winogradConv.js';

interface Conv2DBackpropInputAttrs extends ConvGradAttrs {
  inputShape: [number, number, number, number];
}

/** The kernel function registered as Conv2DBackpropInput for 'wasm'. */
export function conv2dBackpropInput(args: {
  inputs: { dy: tf.TensorInfo; filter: tf.TensorInfo };
  attrs: Conv2DBackpropInputAttrs;
  backend: BackendWasm;
}): tf.TensorInfo {
  const { inputs, attrs, backend } = args;
  const { dy, filter } = inputs;
  const g = convGeometry(attrs.inputShape, filter.shape, attrs, false);
  if (g.outHeight <= 0 || g.outWidth <= 0) return makeZeros(backend, attrs.inputShape);
  if (stridedInputGradApplies(backend, g)) return stridedInputGrad(backend, dy, filter, g);
  if (winogradApplies(backend, inputGradGeometry(g))) {
    return winogradInputGrad(backend, dy, filter, g);
  }
  if (gemmInputGradApplies(backend, g)) return gemmInputGrad(backend, dy, filter, g);

  const { filterHeight: KH, filterWidth: KW, inChannels: C, outChannels: CO } = g;
  const flipped = makeFloat32(backend, [KH, KW, CO, C], (out) => {
    const w = heapView(backend, filter);
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const dst = (kh * KW + kw) * CO * C;
        const src = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * C * CO;
        for (let ci = 0; ci < C; ci++) {
          for (let co = 0; co < CO; co++) out[dst + co * C + ci] = w[src + ci * CO + co]!;
        }
      }
    }
  });

  // Pads of the transposed conv: before = effective kernel − 1 − pad; after makes the output H×W.
  const extentH = (KH - 1) * g.dilationHeight;
  const extentW = (KW - 1) * g.dilationWidth;
  const spanH = (g.outHeight - 1) * g.strideHeight + 1;
  const spanW = (g.outWidth - 1) * g.strideWidth + 1;
  const pads = {
    top: extentH - g.padTop,
    bottom: g.inHeight - spanH + g.padTop,
    left: extentW - g.padLeft,
    right: g.inWidth - spanW + g.padLeft,
  };
  const direct =
    g.strideHeight === 1 && g.strideWidth === 1 && Object.values(pads).every((p) => p >= 0);
  // Otherwise spread dy into a zeroed buffer already holding the padding (negative pads crop).
  const source = direct ? dy : spreadAndPad(backend, dy, g, pads.top, pads.left);
  const dx = conv2d({
    backend,
    inputs: { x: source, filter: flipped },
    attrs: {
      strides: [1, 1],
      dilations: [g.dilationHeight, g.dilationWidth],
      pad: direct
        ? [
            [0, 0],
            [pads.top, pads.bottom],
            [pads.left, pads.right],
            [0, 0],
          ]
        : 'valid',
      dataFormat: 'NHWC',
    },
  });
  if (!direct) release(backend, source);
  release(backend, flipped);
  return dx;
}

/** dy placed at stride steps, offset by (top, left), in a zero buffer of H+extent × W+extent. */
function spreadAndPad(
  backend: BackendWasm,
  dy: tf.TensorInfo,
  g: ConvGeometry,
  top: number,
  left: number,
): tf.TensorInfo {
  const PH = g.inHeight + (g.filterHeight - 1) * g.dilationHeight;
  const PW = g.inWidth + (g.filterWidth - 1) * g.dilationWidth;
  const CO = g.outChannels;
  return makeFloat32(backend, [g.batch, PH, PW, CO], (out) => {
    out.fill(0);
    const src = heapView(backend, dy);
    for (let n = 0; n < g.batch; n++) {
      for (let oh = 0; oh < g.outHeight; oh++) {
        const ph = top + oh * g.strideHeight;
        if (ph < 0 || ph >= PH) continue;
        for (let ow = 0; ow < g.outWidth; ow++) {
          const pw = left + ow * g.strideWidth;
          if (pw < 0 || pw >= PW) continue;
          const from = ((n * g.outHeight + oh) * g.outWidth + ow) * CO;
          out.set(src.subarray(from, from + CO), ((n * PH + ph) * PW + pw) * CO);
        }
      }
    }
  });
}
