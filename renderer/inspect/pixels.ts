import type { FloatTensor, PixelImage } from '../../src/api/inspect';

/** base64 → bytes (the contract's pixel and tensor encoding). */
export function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A FloatTensor's values (little-endian float32, as every platform the app runs on). */
export function tensorValues(tensor: FloatTensor): Float32Array {
  const bytes = base64Bytes(tensor.data);
  return new Float32Array(bytes.buffer, 0, bytes.byteLength / 4);
}

/** RGBA pixels of a PixelImage (grey or RGB bytes), for a canvas. */
export function pixelImageRgba(image: PixelImage): Uint8ClampedArray {
  const bytes = base64Bytes(image.pixels);
  const n = image.width * image.height;
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++)
      out[i * 4 + k] = bytes[i * image.channels + (image.channels === 1 ? 0 : k)] ?? 0;
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** A PixelImage as the ImageInput a request carries (a number array: JSON has no bytes). */
export function pixelImageInput(image: PixelImage): {
  width: number;
  height: number;
  channels: 1 | 3;
  data: number[];
} {
  return {
    width: image.width,
    height: image.height,
    channels: image.channels,
    data: Array.from(base64Bytes(image.pixels)),
  };
}

/** Viridis at 9 stops (matplotlib's, perceptually uniform): low = dark purple, high = yellow. */
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** The colour of t ∈ [0, 1] on the viridis scale (linear between stops). */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS.length - 2);
  const f = x - i;
  const a = VIRIDIS[i]!;
  const b = VIRIDIS[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as [number, number, number];
}

export interface Range {
  readonly min: number;
  readonly max: number;
}

/** Min and max of values[start … start+length). */
export function rangeOf(values: Float32Array, start = 0, length = values.length): Range {
  let min = Infinity;
  let max = -Infinity;
  for (let i = start; i < start + length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return Number.isFinite(min) ? { min, max } : { min: 0, max: 0 };
}

/** One channel (H·W values from `start`) as RGBA on the viridis scale over `range`. */
export function heatmapRgba(
  values: Float32Array,
  start: number,
  length: number,
  range: Range,
): Uint8ClampedArray {
  const out = new Uint8ClampedArray(length * 4);
  const span = range.max - range.min;
  for (let i = 0; i < length; i++) {
    // A constant channel (span 0, e.g. a dead ReLU) is drawn at the scale's low end.
    const [r, g, b] = viridis(span > 0 ? (values[start + i]! - range.min) / span : 0);
    out.set([r, g, b, 255], i * 4);
  }
  return out;
}

/**
 * A kernel's taps as grey (0 = mid grey, ±limit = white/black), the usual way to show filters:
 * RGB for a 3-input-channel kernel, else input channel `channel` alone.
 */
export function kernelRgba(
  values: Float32Array,
  shape: readonly number[],
  filter: number,
  channel: number,
  limit: number,
): Uint8ClampedArray {
  const [, inputs = 1, kh = 1, kw = 1] = shape;
  const area = kh * kw;
  const out = new Uint8ClampedArray(area * 4);
  const grey = (v: number) => 128 + (127 * v) / (limit || 1);
  for (let p = 0; p < area; p++) {
    const at = (c: number) => values[(filter * inputs + c) * area + p] ?? 0;
    const rgb = inputs === 3 ? [at(0), at(1), at(2)] : [at(channel), at(channel), at(channel)];
    out.set([grey(rgb[0]!), grey(rgb[1]!), grey(rgb[2]!), 255], p * 4);
  }
  return out;
}

/** Largest |v|: the symmetric grey scale of kernels. */
export function absMax(values: Float32Array): number {
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m;
}

/** 0.1234 → "0.123", 1234.5 → "1.23e+3": short, signed numbers for scale labels. */
export function formatValue(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1000 || a < 0.001 ? v.toExponential(2) : v.toPrecision(3).replace(/\.?0+$/, '');
}
