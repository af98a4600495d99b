import type { Augmentation } from '../../api/training.js';
import type { Random } from '../random.js';
import type { ImageSplit } from './Dataset.js';

export interface BatchData {
  /** Our layout: N×H×W×C for a C×H×W Input, N×(C·H·W) in C×H×W order for a flat one. */
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly size: number;
}

export interface BatchOptions {
  readonly shape: readonly [number, number, number];
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly flat: boolean;
  /** Training only: random shift / flip drawn from `random`. */
  readonly augmentation?: Augmentation;
  readonly random?: Random;
}

/**
 * Gathers samples `indices` into a normalized float batch: (pixel/255 − mean_c)/std_c, after an
 * optional random shift (vacated pixels are 0, as torchvision's RandomAffine fill) and
 * horizontal flip.
 */
export function makeBatch(
  split: ImageSplit,
  indices: ArrayLike<number>,
  o: BatchOptions,
): BatchData {
  const [c, h, w] = o.shape;
  const size = c * h * w;
  const n = indices.length;
  const x = new Float32Array(n * size);
  const labels = new Int32Array(n);
  const scale = o.std.map((s) => 1 / (255 * s));
  const offset = o.mean.map((m, ch) => -m / o.std[ch]!);
  const shift = o.augmentation?.shift ?? 0;
  const hflip = o.augmentation?.hflip ?? false;
  for (let b = 0; b < n; b++) {
    const j = indices[b]!;
    labels[b] = split.labels[j]!;
    const src = j * size;
    const dy = shift > 0 && o.random ? o.random.int(2 * shift + 1) - shift : 0;
    const dx = shift > 0 && o.random ? o.random.int(2 * shift + 1) - shift : 0;
    const flip = hflip && o.random !== undefined && o.random.next() < 0.5;
    if (dy === 0 && dx === 0 && !flip) {
      normalizeSample(split.images, src, x, b * size, o.shape, o.flat, scale, offset);
      continue;
    }
    for (let y = 0; y < h; y++) {
      const sy = y - dy;
      for (let xx = 0; xx < w; xx++) {
        let sx = xx - dx;
        if (flip) sx = w - 1 - sx;
        const inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
        for (let ch = 0; ch < c; ch++) {
          const pixel = inside ? split.images[src + (sy * w + sx) * c + ch]! : 0;
          const value = pixel * scale[ch]! + offset[ch]!;
          const at = o.flat ? ch * h * w + y * w + xx : (y * w + xx) * c + ch;
          x[b * size + at] = value;
        }
      }
    }
  }
  return { x, labels, size: n };
}

/**
 * One sample without shift or flip (every pixel inside): the general loop's values, without its
 * per-pixel bounds and layout tests — it ran ~18 ns a value, 0.9 ms for 64 digits, on the training
 * loop's thread.
 */
function normalizeSample(
  images: Uint8Array,
  src: number,
  x: Float32Array,
  dst: number,
  [c, h, w]: readonly [number, number, number],
  flat: boolean,
  scale: readonly number[],
  offset: readonly number[],
): void {
  const pixels = h * w;
  if (c === 1) {
    const s0 = scale[0]!;
    const o0 = offset[0]!;
    for (let i = 0; i < pixels; i++) x[dst + i] = images[src + i]! * s0 + o0;
    return;
  }
  for (let ch = 0; ch < c; ch++) {
    const sc = scale[ch]!;
    const of = offset[ch]!;
    // NHWC keeps the channels interleaved; a flat input is C×H×W.
    const [at, step] = flat ? [dst + ch * pixels, 1] : [dst + ch, c];
    for (let p = 0; p < pixels; p++) x[at + p * step] = images[src + p * c + ch]! * sc + of;
  }
}
