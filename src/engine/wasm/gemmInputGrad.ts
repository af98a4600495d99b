// The input gradient of a stride-1 convolution as a matrix product and a col2im, for the shapes
// where that beats the forward conv of dy padded by the kernel's reach (conv2dBackpropInput.ts):
//   cols [N·OH·OW, KH·KW·C] = dy [N·OH·OW, CO] · W [KH·KW·C, CO]ᵀ,   dx = col2im(cols)
// The padded conv multiplies every tap that falls in the padding too — for LeNet-5's conv2 (5×5,
// a 10×10 dy padded to 18×18) about half its products — and XNNPACK runs a 6-channel output in
// blocks made for 8 or 16. The product here has no zeros and its long axis is N·OH·OW.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { batchMatMul } from './batchMatMul.js';
import type { ConvGeometry } from './convGeometry.js';
import { runCol2im } from './simd/col2imSimd.js';
import {
  heapAddress,
  heapView,
  release,
  reshapeInfo,
  simdKernelsAvailable,
  wasmMemory,
} from './wasmKernelContext.js';

/** The columns' size at most (bytes): a temporary of the kernel, kept to a bounded size. */
const MAX_COLUMN_BYTES = 64 << 20;

/**
 * Whether dx of a conv of geometry `g` goes this way: stride 1, no dilation, SIMD available, the
 * columns within MAX_COLUMN_BYTES, and fewer than 8 input channels (dx's). Measured (batch 16–64,
 * docs/performance.md): with 3 or 6 channels 2–2.4× faster than the padded conv, or as fast
 * (5×5 "same", 6 channels); with 8, 12, 16 or 32 channels up to 2× slower, XNNPACK's blocks being
 * full there and the columns larger.
 */
export function gemmInputGradApplies(backend: BackendWasm, g: ConvGeometry): boolean {
  const columns = g.batch * g.outHeight * g.outWidth * g.filterHeight * g.filterWidth;
  return (
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.dilationHeight === 1 &&
    g.dilationWidth === 1 &&
    g.inChannels < 8 &&
    columns * g.inChannels * 4 <= MAX_COLUMN_BYTES &&
    simdKernelsAvailable(backend)
  );
}

/** dx [N, H, W, C] of the conv of geometry `g` from dy [N, OH, OW, CO] and filter [KH, KW, C, CO]. */
export function gemmInputGrad(
  backend: BackendWasm,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  g: ConvGeometry,
): tf.TensorInfo {
  const { batch: N, inHeight: H, inWidth: W, inChannels: C, outChannels: CO } = g;
  const positions = N * g.outHeight * g.outWidth;
  const taps = g.filterHeight * g.filterWidth;
  const a = reshapeInfo(backend, dy, [positions, CO]);
  const b = reshapeInfo(backend, filter, [taps * C, CO]);
  const cols = batchMatMul({
    inputs: { a, b },
    attrs: { transposeA: false, transposeB: true },
    backend,
  });
  release(backend, a);
  release(backend, b);
  const dx = backend.makeOutput([N, H, W, C], 'float32');
  heapView(backend, dx).fill(0);
  runCol2im(
    wasmMemory(backend),
    {
      inHeight: H,
      inWidth: W,
      channels: C,
      outHeight: g.outHeight,
      outWidth: g.outWidth,
      filterHeight: g.filterHeight,
      filterWidth: g.filterWidth,
      padTop: g.padTop,
      padLeft: g.padLeft,
    },
    heapAddress(backend, cols),
    heapAddress(backend, dx),
    N,
  );
  release(backend, cols);
  return dx;
}
