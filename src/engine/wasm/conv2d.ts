// Conv2D for the WASM backend: 3×3 stride-1 convs with 4–512 channels and an even output size
// by Winograd F(2×2, 3×3) (winogradConv.ts); stride-1, undilated convolutions with one input
// channel (LeNet's conv1) on the project's generated SIMD loop (simd/convForwardSimd.ts), where
// XNNPACK is slow; other undilated convs whose filter fits in cache on the direct loop
// (simd/directConvSimd.ts: strided convs, stems, the input gradient's stride phases); every other
// conv on tfjs-wasm's own XNNPACK kernel.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convGeometry, type ConvGeometry, type ConvGradAttrs } from './convGeometry.js';
import { runConvForwardSimd } from './simd/convForwardSimd.js';
import { runDirectConvSimd } from './simd/directConvSimd.js';
import { paddedInput, paddedSize } from './simd/padToTaps.js';
import type { WasmMemory } from './simd/wasmApi.js';
import { winogradApplies, winogradConv2d } from './winogradConv.js';
import {
  heapAddress,
  runWasmKernel,
  wasmMemory,
  simdKernelsAvailable,
} from './wasmKernelContext.js';

/** Whether our SIMD loop beats XNNPACK on this conv (measured: docs/performance.md). */
export function simdConvForwardApplies(g: ConvGeometry): boolean {
  return (
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.dilationHeight === 1 &&
    g.dilationWidth === 1 &&
    g.outChannels >= 4 &&
    g.inChannels <= SIMD_MAX_IN_CHANNELS &&
    g.batch > 0 &&
    g.outHeight > 0 &&
    g.outWidth > 0
  );
}

/** Above this many input channels XNNPACK's packed GEMM wins (measured: 6 → 16 is 2.7× slower). */
const SIMD_MAX_IN_CHANNELS = 1;

/** The kernel function registered as Conv2D for 'wasm'. */
export function conv2d(args: {
  inputs: { x: tf.TensorInfo; filter: tf.TensorInfo };
  attrs: ConvGradAttrs;
  backend: BackendWasm;
}): tf.TensorInfo {
  const { inputs, attrs, backend } = args;
  const g =
    attrs.dataFormat === 'NCHW'
      ? undefined
      : convGeometry(inputs.x.shape, inputs.filter.shape, attrs, false);
  if (g !== undefined && winogradApplies(backend, g)) {
    return winogradConv2d(backend, inputs.x, inputs.filter, g);
  }
  if (g !== undefined && simdKernelsAvailable(backend)) {
    if (simdConvForwardApplies(g)) return simdConv2d(backend, inputs.x, inputs.filter, g);
    if (directConvApplies(g)) return directConv2d(backend, inputs.x, inputs.filter, g);
  }
  return runWasmKernel(backend, 'Conv2D', inputs, attrs as unknown as Record<string, unknown>);
}

/**
 * Largest filter the direct loop takes: it reads the whole filter for every two output positions,
 * so it must stay in a core's L2 (measured: a 4.7 MB filter ran at a third of XNNPACK's speed, a
 * 1.2 MB one faster than it; docs/performance.md).
 */
const DIRECT_MAX_FILTER_BYTES = 1 << 20;
/** Taps × input channels below which XNNPACK was as fast (a 1×1 conv of 16 channels). */
const DIRECT_MIN_DEPTH = 24;

/** Whether the direct loop runs this conv (measured against XNNPACK: docs/performance.md). */
export function directConvApplies(g: ConvGeometry): boolean {
  const depth = g.filterHeight * g.filterWidth * g.inChannels;
  return (
    g.dilationHeight === 1 &&
    g.dilationWidth === 1 &&
    g.inChannels >= 2 &&
    g.outChannels >= 4 &&
    depth >= DIRECT_MIN_DEPTH &&
    depth * g.outChannels * 4 <= DIRECT_MAX_FILTER_BYTES &&
    g.batch > 0 &&
    g.outHeight > 0 &&
    g.outWidth > 0
  );
}

/** The stride-1 conv of x with filter [KH, KW, C, CO] on the SIMD loop (CO ≥ 4). */
export function simdConv2d(
  backend: BackendWasm,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  g: ConvGeometry,
): tf.TensorInfo {
  return onPaddedInput(backend, x, filter, g, (call) =>
    runConvForwardSimd({ ...call, shape: loopShape(g) }),
  );
}

/** The conv of x with filter [KH, KW, C, CO] (any stride, no dilation, CO ≥ 4) on the direct loop. */
export function directConv2d(
  backend: BackendWasm,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  g: ConvGeometry,
): tf.TensorInfo {
  const [paddedHeight, paddedWidth] = paddedSize(g);
  return onPaddedInput(backend, x, filter, g, (call) =>
    runDirectConvSimd({
      ...call,
      shape: {
        ...loopShape(g),
        strideHeight: g.strideHeight,
        strideWidth: g.strideWidth,
        paddedHeight,
        paddedWidth,
      },
    }),
  );
}

/** The sizes both generated loops are specialized to. */
function loopShape(g: ConvGeometry) {
  return {
    outHeight: g.outHeight,
    outWidth: g.outWidth,
    filterHeight: g.filterHeight,
    filterWidth: g.filterWidth,
    inChannels: g.inChannels,
    outChannels: g.outChannels,
  };
}

/**
 * y [N, OH, OW, CO] from `run` given the heap addresses of x zero-padded so that every tap is
 * inside (padToTaps), of the filter and of y; the padded copy is released after.
 */
function onPaddedInput(
  backend: BackendWasm,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  g: ConvGeometry,
  run: (call: { memory: WasmMemory; xp: number; w: number; y: number; batch: number }) => void,
): tf.TensorInfo {
  const y = backend.makeOutput([g.batch, g.outHeight, g.outWidth, g.outChannels], 'float32');
  const xp = paddedInput(backend, x, g);
  try {
    run({
      memory: wasmMemory(backend),
      xp: xp.address,
      w: heapAddress(backend, filter),
      y: heapAddress(backend, y),
      batch: g.batch,
    });
  } finally {
    xp.done();
  }
  return y;
}
