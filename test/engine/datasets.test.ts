import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../../src/api/training.js';
import { checkInputShape, loadDataset } from '../../src/engine/data/loadDataset.js';
import { loadCifar10 } from '../../src/engine/data/loadCifar10.js';
import { loadIdxDataset } from '../../src/engine/data/loadIdxDataset.js';
import { loadImageFolder } from '../../src/engine/data/loadImageFolder.js';
import { makeBatch } from '../../src/engine/data/makeBatch.js';
import { prepareData } from '../../src/engine/data/prepareData.js';
import type { Random } from '../../src/engine/random.js';
import { tempDir } from './trainHelpers.js';

function idx(dims: number[], data: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Uint8Array.from(data)]);
}

function png(width: number, height: number, value: number): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) image.data.set([value, value, value, 255], i * 4);
  return PNG.sync.write(image);
}

const config = (overrides = {}) => {
  const parsed = parseTrainConfig(overrides);
  if (!parsed.ok) throw new Error(parsed.problems.join());
  return parsed.config;
};

describe('IDX files', () => {
  it('reads images and labels, gzipped or not, with t10k as validation', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), idx([3, 2, 2], [...Array(12).keys()]));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx([3], [0, 2, 1]));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(idx([1, 2, 2], [9, 9, 9, 9])));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx([1], [1])));
    const data = loadIdxDataset(dir);
    expect(data.shape).toEqual([1, 2, 2]);
    expect(data.classNames).toEqual(['0', '1', '2']);
    expect(Array.from(data.train.images.subarray(4, 8))).toEqual([4, 5, 6, 7]);
    expect(data.validation?.count).toBe(1);
  });

  it.each([
    ['a file that is not IDX', Buffer.from('PK\u0003\u0004zipfile'), /is not an IDX file/],
    ['a truncated file', idx([3, 2, 2], [1, 2, 3]), /header says 3×2×2 = 12 bytes, but it holds 3/],
  ])('explains %s', (_what, bytes, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), bytes);
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx([3], [0, 1, 2]));
    expect(() => loadIdxDataset(dir)).toThrow(message);
  });

  it('explains image and label counts that differ, and missing files', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), idx([3, 1, 1], [1, 2, 3]));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx([2], [0, 1]));
    expect(() => loadIdxDataset(dir)).toThrow(
      /has 3 images but train-labels-idx1-ubyte has 2 labels/,
    );
    expect(() => loadIdxDataset(tempDir())).toThrow(/has no train-images-idx3-ubyte/);
  });

  it('the built-in digits: 8,004 + 1,996 real 28×28 digits of every class', () => {
    const digits = loadDataset({ kind: 'digits' }, [1, 28, 28]);
    expect(digits.train.count + (digits.validation?.count ?? 0)).toBe(10_000);
    expect(digits.validation?.count).toBe(1996);
    expect(new Set(digits.validation?.labels).size).toBe(10);
    expect(() => checkInputShape(digits, [3, 32, 32])).toThrow(
      /digits images are 1×28×28, but the graph's Input is 3×32×32\. Set the Input shape to \[1, 28, 28\]/,
    );
    expect(() => checkInputShape(digits, [784])).not.toThrow();
  });
});

describe('image folders', () => {
  it('decodes PNG and JPEG, resizes, converts channels, skips and counts unreadable files', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'cats'));
    mkdirSync(join(dir, 'dogs'));
    writeFileSync(join(dir, 'cats', 'a.png'), png(10, 8, 255));
    writeFileSync(join(dir, 'cats', 'broken.png'), 'definitely not a png');
    writeFileSync(join(dir, 'cats', 'notes.txt'), 'ignored');
    const rgb = Buffer.alloc(6 * 6 * 4, 0);
    for (let i = 0; i < 36; i++) rgb.set([200, 100, 50, 255], i * 4);
    writeFileSync(
      join(dir, 'dogs', 'b.jpg'),
      jpeg.encode({ data: rgb, width: 6, height: 6 }, 100).data,
    );
    const gray = loadImageFolder(dir, [1, 4, 4]);
    expect(gray.classNames).toEqual(['cats', 'dogs']);
    expect(gray.train.count).toBe(2);
    expect(gray.skipped).toBe(1);
    expect(Array.from(gray.train.images.subarray(0, 16))).toEqual(Array(16).fill(255));
    const color = loadImageFolder(dir, [3, 4, 4]);
    const [r, g, b] = color.train.images.subarray(48, 51);
    expect(Math.abs(r! - 200)).toBeLessThan(6);
    expect(Math.abs(g! - 100)).toBeLessThan(6);
    expect(Math.abs(b! - 50)).toBeLessThan(6);
  });

  it('reads images for a flat Input as the square image it holds', () => {
    const dir = tempDir();
    for (const name of ['a', 'b']) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'x.png'), png(8, 8, 100));
    }
    expect(loadDataset({ kind: 'image-folder', path: dir }, [3 * 16 * 16]).shape).toEqual([
      3, 16, 16,
    ]);
    expect(loadDataset({ kind: 'image-folder', path: dir }, [784]).shape).toEqual([1, 28, 28]);
    expect(() => loadDataset({ kind: 'image-folder', path: dir }, [10])).toThrow(/no C×H×W image/);
  });

  it('refuses an empty class folder and a folder without classes', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'cats'));
    mkdirSync(join(dir, 'dogs'));
    writeFileSync(join(dir, 'cats', 'a.png'), png(4, 4, 0));
    expect(() => loadImageFolder(dir, [1, 4, 4])).toThrow(/dogs has no \.png or \.jpg images/);
    expect(() => loadImageFolder(tempDir(), [1, 4, 4])).toThrow(/one subfolder per class/);
  });
});

describe('CIFAR-10 binary batches', () => {
  it('reads records as H×W×C with their labels', () => {
    const dir = tempDir();
    const record = (label: number) => {
      const r = Buffer.alloc(3073);
      r[0] = label;
      r.fill(10, 1, 1025);
      r.fill(20, 1025, 2049);
      r.fill(30, 2049, 3073);
      return r;
    };
    writeFileSync(join(dir, 'data_batch_1.bin'), Buffer.concat([record(3), record(7)]));
    writeFileSync(join(dir, 'test_batch.bin'), record(1));
    const data = loadCifar10(dir);
    expect(data.shape).toEqual([3, 32, 32]);
    expect(Array.from(data.train.labels)).toEqual([3, 7]);
    expect(Array.from(data.train.images.subarray(0, 6))).toEqual([10, 20, 30, 10, 20, 30]);
    expect(data.classNames[3]).toBe('cat');
    expect(data.validation?.count).toBe(1);
  });

  it('explains a file of the wrong size and a folder without batches', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'data_batch_1.bin'), Buffer.alloc(100));
    expect(() => loadCifar10(dir)).toThrow(/not a whole number of CIFAR-10 records/);
    expect(() => loadCifar10(tempDir())).toThrow(/no data_batch_1\.bin/);
  });
});

describe('preparation and batches', () => {
  const split = {
    images: Uint8Array.from([0, 255, 255, 0, 51, 102]),
    labels: Uint8Array.from([0, 1, 1]),
    count: 3,
  };

  it('holds out a seeded validation share and computes per-channel statistics', () => {
    const dataset = {
      name: 'tiny',
      classNames: ['a', 'b'],
      shape: [2, 1, 1] as const,
      train: split,
      validation: null,
      skipped: 0,
    };
    const prepared = prepareData(dataset, config({ validationFraction: 0.34, seed: 3 }));
    expect(prepared.info.trainSize + prepared.info.validationSize).toBe(3);
    expect(prepared.info.validationSize).toBe(1);
    expect(prepared.mean).toHaveLength(2);
    expect(() =>
      prepareData(
        dataset,
        config({ normalization: { kind: 'custom', mean: [0.1, 0.2, 0.3], std: [1] } }),
      ),
    ).toThrow(/normalization.mean has 3 values; give 1 or one per channel \(2\)/);
  });

  it('normalizes, orders channels for NHWC or flat C×H×W inputs, flips and shifts', () => {
    const rgb = {
      images: Uint8Array.from([255, 0, 0, 0, 255, 0]),
      labels: Uint8Array.from([1]),
      count: 1,
    }; // 1×2 RGB
    const base = { shape: [3, 1, 2] as const, mean: [0, 0, 0], std: [1, 1, 1] };
    expect(Array.from(makeBatch(rgb, [0], { ...base, flat: false }).x)).toEqual([1, 0, 0, 0, 1, 0]);
    expect(Array.from(makeBatch(rgb, [0], { ...base, flat: true }).x)).toEqual([1, 0, 0, 1, 0, 0]);
    const flipped = makeBatch(rgb, [0], {
      ...base,
      flat: false,
      augmentation: { shift: 0, hflip: true },
      random: { next: () => 0 } as unknown as Random,
    });
    expect(Array.from(flipped.x)).toEqual([0, 1, 0, 1, 0, 0]);
    const normalized = makeBatch(rgb, [0], {
      shape: [3, 1, 2],
      mean: [0.5, 0.5, 0.5],
      std: [0.5, 0.5, 0.5],
      flat: false,
    });
    expect(Array.from(normalized.x)).toEqual([1, -1, -1, -1, 1, -1]);
    // Shift right by one pixel (dy draw 1 → 0, dx draw 2 → +1): the vacated left pixel is 0.
    const draws = [1, 2];
    const random = { int: () => draws.shift() ?? 0, next: () => 0.9 } as unknown as Random;
    const shifted = makeBatch(rgb, [0], {
      ...base,
      flat: false,
      augmentation: { shift: 1, hflip: false },
      random,
    });
    expect(Array.from(shifted.x)).toEqual([0, 0, 0, 1, 0, 0]);
  });

  it('normalizes every sample and channel into its place, in either layout', () => {
    // (pixel / 255 − mean_c) / std_c at [n, y, x, c] (NHWC) or [n, c, y, x] (flat), for one and
    // three channels — the loop samples without shift or flip take.
    for (const [c, h, w] of [
      [1, 5, 4],
      [3, 4, 6],
    ] as const) {
      const n = 3;
      const images = Uint8Array.from({ length: n * c * h * w }, (_, i) => (i * 37 + 11) % 256);
      const split = { images, labels: Uint8Array.from([0, 1, 2]), count: n };
      const mean = [0.1, 0.5, 0.9].slice(0, c);
      const std = [0.3, 0.2, 0.7].slice(0, c);
      const order = [2, 0, 1];
      for (const flat of [false, true]) {
        const { x } = makeBatch(split, order, { shape: [c, h, w], mean, std, flat });
        const size = c * h * w;
        order.forEach((sample, b) => {
          for (let p = 0; p < h * w; p++) {
            for (let ch = 0; ch < c; ch++) {
              const pixel = images[sample * size + p * c + ch]!;
              const at = b * size + (flat ? ch * h * w + p : p * c + ch);
              expect(x[at], `${c}×${h}×${w} flat ${flat} [${b}, ${p}, ${ch}]`).toBeCloseTo(
                (pixel / 255 - mean[ch]!) / std[ch]!,
                5,
              );
            }
          }
        });
      }
    }
  });
});
