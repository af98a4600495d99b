// 3×3 stride-1 convolutions by Winograd F(2×2, 3×3) (simd/winogradSimd.ts): Conv2D, its filter
// gradient and, as the same convolution of dy with the filter flipped and its channels swapped,
// Conv2DBackpropInput. 2–3× faster than XNNPACK and our direct SIMD loops on ResNet-20's shapes,
// 1.2–3× on VGG's (docs/performance.md).
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { ConvGeometry } from './convGeometry.js';
import {
  winogradChunk,
  runWinograd,
  runWinogradFilterGrad,
  TILE_GAP,
  tilePositions,
  winogradScratchBytes,
  type TileHeight,
  type WinogradShape,
} from './simd/winogradSimd.js';
import { runFilterTransform } from './simd/winogradFilterSimd.js';
import { heapAddress, simdKernelsAvailable, wasmMemory } from './wasmKernelContext.js';
import { workspace } from './workspace.js';

/**
 * Channel counts up to which Winograd is used: measured faster than XNNPACK up to 512 (VGG's and
 * ResNet-18's widest 3×3 convs; docs/performance.md); its transformed filter, 16·C·CO floats (24
 * in tiles of 4 rows) rebuilt at every call because training changes the weights, is 16 MB there
 * (24 MB).
 */
export const WINOGRAD_MAX_CHANNELS = 512;

/** Whether a conv of this geometry runs as Winograd F(2×2, 3×3) on this backend. */
export function winogradApplies(backend: BackendWasm, g: ConvGeometry): boolean {
  return (
    g.filterHeight === 3 &&
    g.filterWidth === 3 &&
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.dilationHeight === 1 &&
    g.dilationWidth === 1 &&
    g.inChannels >= 4 &&
    g.outChannels >= 4 &&
    g.inChannels <= WINOGRAD_MAX_CHANNELS &&
    g.outChannels <= WINOGRAD_MAX_CHANNELS &&
    g.batch > 0 &&
    g.outHeight > 0 &&
    g.outWidth > 0 &&
    g.outHeight % 2 === 0 &&
    g.outWidth % 2 === 0 &&
    g.padTop >= 0 &&
    g.padLeft >= 0 &&
    simdKernelsAvailable(backend)
  );
}

/**
 * Whether the filter gradient of a conv of this geometry runs as Winograd: its products add up
 * over chunks in place, so blocks must not overlap — output channels a multiple of 4.
 */
export function winogradFilterGradApplies(backend: BackendWasm, g: ConvGeometry): boolean {
  return g.outChannels % 4 === 0 && winogradApplies(backend, g);
}

/** Input-gradient geometries made so far, by the conv's (convGeometry's objects are reused). */
const inputGradGeometries = new WeakMap<ConvGeometry, Readonly<ConvGeometry>>();

/** The geometry of the input gradient as a forward conv of dy (flipped, swapped filter). */
export function inputGradGeometry(g: ConvGeometry): Readonly<ConvGeometry> {
  let known = inputGradGeometries.get(g);
  if (known === undefined) {
    known = Object.freeze(transposedGeometry(g));
    inputGradGeometries.set(g, known);
  }
  return known;
}

function transposedGeometry(g: ConvGeometry): ConvGeometry {
  return {
    ...g,
    inHeight: g.outHeight,
    inWidth: g.outWidth,
    inChannels: g.outChannels,
    outHeight: g.inHeight,
    outWidth: g.inWidth,
    outChannels: g.inChannels,
    padTop: g.filterHeight - 1 - g.padTop,
    padLeft: g.filterWidth - 1 - g.padLeft,
    padBottom: g.filterHeight - 1 - g.padBottom,
    padRight: g.filterWidth - 1 - g.padRight,
  };
}

/** y = x ⊛ filter for a geometry `winogradApplies` accepted. */
export function winogradConv2d(
  backend: BackendWasm,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  g: ConvGeometry,
): tf.TensorInfo {
  return run(backend, x, g, filter, false);
}

/**
 * dx of the conv of geometry `g` (`winogradApplies(backend, inputGradGeometry(g))`): dy ⊛ the
 * filter flipped in space with its channels swapped, read from the stored filter in place.
 */
export function winogradInputGrad(
  backend: BackendWasm,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  g: ConvGeometry,
): tf.TensorInfo {
  return run(backend, dy, inputGradGeometry(g), filter, true);
}

/** Shapes built so far, by geometry: the same object each call, so what it prepares is kept. */
const shapes = new Map<string, WinogradShape>();

/** Distinct shapes kept at most (a session sees a few dozen); past it the map starts over. */
const MAX_SHAPES = 512;

/**
 * The generated functions' shape for `g`: the input as it is, its padding left implied, `tileGap`
 * bytes after each tile's transformed vectors, tiles of `tileHeight` output rows.
 */
function shapeFor(g: ConvGeometry, tileGap: number, tileHeight: TileHeight): WinogradShape {
  // By the geometry object first (convGeometry returns the same one for the same conv), then by
  // its values (the same shape object for equal geometries: what runWinograd prepares is kept).
  const byObject = shapesByGeometry.get(g);
  const variant = tileGap * 8 + tileHeight;
  const seen = byObject?.get(variant);
  if (seen !== undefined) return seen;
  const shape = shapeByValues(g, tileGap, tileHeight);
  if (byObject === undefined) shapesByGeometry.set(g, new Map([[variant, shape]]));
  else byObject.set(variant, shape);
  return shape;
}

/** Shapes by geometry object and (tile gap, tile height). */
const shapesByGeometry = new WeakMap<ConvGeometry, Map<number, WinogradShape>>();

function shapeByValues(g: ConvGeometry, tileGap: number, tileHeight: TileHeight): WinogradShape {
  const key = `${g.batch} ${g.inHeight} ${g.inWidth} ${g.inChannels} ${g.outHeight} ${g.outWidth} ${g.outChannels} ${g.padTop} ${g.padLeft} ${tileGap} ${tileHeight}`;
  const known = shapes.get(key);
  if (known !== undefined) return known;
  const base = {
    outHeight: g.outHeight,
    outWidth: g.outWidth,
    inChannels: g.inChannels,
    outChannels: g.outChannels,
    tileHeight,
  };
  const shape: WinogradShape = {
    ...base,
    inHeight: g.inHeight,
    inWidth: g.inWidth,
    padTop: g.padTop,
    padLeft: g.padLeft,
    tileGap,
    ...winogradChunk(g.batch, base),
  };
  if (shapes.size >= MAX_SHAPES) shapes.clear();
  shapes.set(key, shape);
  return shape;
}

/**
 * Output rows per tile of an input gradient's Winograd conv (`g` its geometry as a conv of dy):
 * 4 — F(4×2, 3×3), a quarter fewer products than F(2×2, 3×3) — where its height allows it, else 2.
 * The forward keeps F(2×2): with F(4×2) there, ResNet-20's gradients against PyTorch float64 came
 * out up to 8.0× PyTorch float32's error (the oracle's limit is 8; 4.4 with F(2×2)), where F(4×2)
 * in the input gradient alone gave 5.0 (docs/performance.md).
 */
export function inputGradTileHeight(g: ConvGeometry): TileHeight {
  return g.outHeight % 4 === 0 ? 4 : 2;
}

function run(
  backend: BackendWasm,
  x: tf.TensorInfo,
  g: ConvGeometry,
  filter: tf.TensorInfo,
  transposed: boolean,
): tf.TensorInfo {
  const shape = shapeFor(g, 0, transposed ? inputGradTileHeight(g) : 2);
  const y = backend.makeOutput([g.batch, g.outHeight, g.outWidth, g.outChannels], 'float32');
  const uBytes = tilePositions(shape.tileHeight) * g.inChannels * g.outChannels * 4;
  const { u, scratch, done } = winogradWorkspace(backend, uBytes, winogradScratchBytes(shape));
  const memory = wasmMemory(backend);
  try {
    runFilterTransform(
      memory,
      heapAddress(backend, filter),
      u,
      g.inChannels,
      g.outChannels,
      transposed,
      shape.tileHeight,
    );
    runWinograd({
      memory,
      x: heapAddress(backend, x),
      u,
      y: heapAddress(backend, y),
      scratch,
      batch: g.batch,
      shape,
    });
  } finally {
    done();
  }
  return y;
}

/** U (or the filter gradient's products P) and the passes' buffers, from blocks kept per memory. */
function winogradWorkspace(
  backend: BackendWasm,
  uBytes: number,
  scratchBytes: number,
): { u: number; scratch: number; done: () => void } {
  const u = workspace(backend, 'winograd-u', uBytes);
  const scratch = workspace(backend, 'winograd-scratch', scratchBytes);
  return {
    u: u.address,
    scratch: scratch.address,
    done: () => {
      scratch.done();
      u.done();
    },
  };
}

/**
 * Output rows per tile of the filter gradient of the conv of geometry `g` (dy's rows): 4 where
 * they allow it, as for the input gradient — the float64 oracle's worst case unchanged by it.
 */
export function filterGradTileHeight(g: ConvGeometry): TileHeight {
  return g.outHeight % 4 === 0 ? 4 : 2;
}

/** dw [3, 3, C, CO] of the conv of geometry `g` (`winogradFilterGradApplies(backend, g)`). */
export function winogradFilterGrad(
  backend: BackendWasm,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  g: ConvGeometry,
): tf.TensorInfo {
  const shape = shapeFor(g, TILE_GAP, filterGradTileHeight(g));
  const dw = backend.makeOutput([3, 3, g.inChannels, g.outChannels], 'float32');
  const productBytes = tilePositions(shape.tileHeight) * g.inChannels * g.outChannels * 4;
  const {
    u: products,
    scratch,
    done,
  } = winogradWorkspace(backend, productBytes, winogradScratchBytes(shape));
  try {
    runWinogradFilterGrad({
      memory: wasmMemory(backend),
      x: heapAddress(backend, x),
      dy: heapAddress(backend, dy),
      scratch,
      products,
      dw: heapAddress(backend, dw),
      batch: g.batch,
      shape,
    });
  } finally {
    done();
  }
  return dw;
}
