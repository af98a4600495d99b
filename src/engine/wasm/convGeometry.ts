// The geometry of a 2-D convolution as the gradient kernels need it, from tfjs kernel attributes.
import tf from '../tfjs.cjs';

/** Sizes, strides, dilations and the (top, left) padding of one NHWC convolution. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  /** Channels of dy: outChannels for a conv, inChannels × multiplier for a depthwise conv. */
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
}

/** Attributes shared by Conv2DBackpropFilter/Input and the depthwise backprop kernels. */
export interface ConvGradAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NHWC' | 'NCHW';
  /**
   * tfjs does not pass dilations to Conv2DBackprop* (its gradient refuses dilated convs), but a
   * caller that runs these kernels itself may: our wasm kernels honour it; tfjs' CPU kernels
   * ignore it, so only pass it where the active backend is 'wasm'.
   */
  dilations?: number | [number, number];
}

/** Geometries computed so far, by their arguments (every conv kernel call asks for one). */
const geometries = new Map<string, Readonly<ConvGeometry>>();

/** Distinct geometries kept before the cache starts over (a long-lived server sees many graphs). */
const MAX_GEOMETRIES = 1024;

/**
 * Geometry of the convolution whose input has `xShape` and whose filter has `filterShape`. The
 * same (frozen) object for the same arguments: tfjs' computeConv2DInfo, run at every call of
 * every conv kernel, took ~10 µs a call in a training step.
 */
export function convGeometry(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvGradAttrs,
  depthwise: boolean,
): Readonly<ConvGeometry> {
  if (attrs.dataFormat === 'NCHW') {
    throw new Error('The WASM training kernels support NHWC tensors only (dataFormat NCHW given).');
  }
  // Array's toString flattens nested arrays ("1,1,0,0"); their nesting is fixed by the attribute.
  const key = `${xShape}|${filterShape}|${attrs.strides}|${attrs.dilations ?? 1}|${attrs.pad}|${attrs.dimRoundingMode}|${depthwise}`;
  const known = geometries.get(key);
  if (known !== undefined) return known;
  const g = Object.freeze(computeConvGeometry(xShape, filterShape, attrs, depthwise));
  if (geometries.size >= MAX_GEOMETRIES) geometries.clear();
  geometries.set(key, g);
  return g;
}

/** convGeometry's value computed anew from tfjs' computeConv2DInfo (what it keeps). */
export function computeConvGeometry(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvGradAttrs,
  depthwise: boolean,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    padBottom: info.padInfo.bottom,
    padRight: info.padInfo.right,
  };
}
