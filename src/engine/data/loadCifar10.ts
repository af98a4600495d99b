import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DatasetError, type Dataset, type ImageSplit } from './Dataset.js';

export const CIFAR10_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE; // label byte, then the R, G and B planes

/** Reads CIFAR-10 binary batch files: records of 1 label byte + 3×32×32 planar pixels → HWC. */
function readBatches(paths: readonly string[]): ImageSplit {
  const buffers = paths.map((path) => {
    const bytes = readFileSync(path);
    if (bytes.length === 0 || bytes.length % RECORD !== 0) {
      throw new DatasetError(
        `${path} is ${bytes.length.toLocaleString('en-US')} bytes, not a whole number of CIFAR-10 records (${RECORD} bytes each: a label and 3×32×32 pixels). Use the "binary version" of CIFAR-10.`,
      );
    }
    return bytes;
  });
  const count = buffers.reduce((n, b) => n + b.length / RECORD, 0);
  const images = new Uint8Array(count * 3 * PLANE);
  const labels = new Uint8Array(count);
  let i = 0;
  for (const [f, bytes] of buffers.entries()) {
    for (let r = 0; r < bytes.length; r += RECORD, i++) {
      const label = bytes[r] ?? 0;
      if (label > 9) {
        throw new DatasetError(
          `${paths[f]}: record ${r / RECORD} has label ${label}; CIFAR-10 labels are 0–9.`,
        );
      }
      labels[i] = label;
      const out = i * 3 * PLANE;
      for (let p = 0; p < PLANE; p++) {
        for (let c = 0; c < 3; c++) images[out + p * 3 + c] = bytes[r + 1 + c * PLANE + p] ?? 0;
      }
    }
  }
  return { images, labels, count };
}

/** CIFAR-10 (binary version): data_batch_1…5.bin for training, test_batch.bin for validation. */
export function loadCifar10(dir: string): Dataset {
  const train = [1, 2, 3, 4, 5].map((i) => join(dir, `data_batch_${i}.bin`)).filter(existsSync);
  if (train.length === 0) {
    throw new DatasetError(
      `${dir} has no data_batch_1.bin … data_batch_5.bin: point at the extracted "cifar-10-batches-bin" folder.`,
    );
  }
  const test = join(dir, 'test_batch.bin');
  return {
    name: basename(dir),
    classNames: [...CIFAR10_CLASSES],
    shape: [3, SIDE, SIDE],
    train: readBatches(train),
    validation: existsSync(test) ? readBatches([test]) : null,
    skipped: 0,
  };
}
