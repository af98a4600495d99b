import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DatasetError, type Dataset, type ImageSplit } from './Dataset.js';
import { readIdx } from './readIdx.js';

/** The file of `kind` (`train-images-idx3-ubyte` …) in `dir`, plain or gzipped, dot or dash. */
function find(
  dir: string,
  prefix: 'train' | 't10k',
  what: 'images-idx3' | 'labels-idx1',
): string | null {
  for (const sep of ['-', '.']) {
    const [kind, idx] = what.split('-') as [string, string];
    for (const ext of ['', '.gz']) {
      const path = join(dir, `${prefix}-${kind}${sep}${idx}-ubyte${ext}`);
      if (existsSync(path)) return path;
    }
  }
  return null;
}

function readSplit(
  imagesPath: string,
  labelsPath: string,
): { split: ImageSplit; h: number; w: number } {
  const images = readIdx(imagesPath);
  const labels = readIdx(labelsPath);
  if (images.dims.length !== 3) {
    throw new DatasetError(
      `${imagesPath} holds a ${images.dims.join('×')} array; an image file is N×H×W (idx3).`,
    );
  }
  if (labels.dims.length !== 1) {
    throw new DatasetError(
      `${labelsPath} holds a ${labels.dims.join('×')} array; a label file is N (idx1).`,
    );
  }
  const [n, h, w] = images.dims as [number, number, number];
  if (labels.dims[0] !== n) {
    throw new DatasetError(
      `${basename(imagesPath)} has ${n.toLocaleString('en-US')} images but ${basename(labelsPath)} has ${labels.dims[0]?.toLocaleString('en-US')} labels; they must be the same count.`,
    );
  }
  return { split: { images: images.data, labels: labels.data, count: n }, h, w };
}

/**
 * MNIST-style IDX files in a folder: train-images/labels, and t10k-* as the validation set when
 * present. Class names are the label values (0 … max).
 */
export function loadIdxDataset(dir: string, name = basename(dir)): Dataset {
  const trainImages = find(dir, 'train', 'images-idx3');
  const trainLabels = find(dir, 'train', 'labels-idx1');
  if (trainImages === null || trainLabels === null) {
    throw new DatasetError(
      `${dir} has no ${trainImages === null ? 'train-images-idx3-ubyte' : 'train-labels-idx1-ubyte'} (or .gz): an IDX dataset folder holds train-images-idx3-ubyte and train-labels-idx1-ubyte, optionally t10k-* for validation.`,
    );
  }
  const train = readSplit(trainImages, trainLabels);
  const valImages = find(dir, 't10k', 'images-idx3');
  const valLabels = find(dir, 't10k', 'labels-idx1');
  let validation: ImageSplit | null = null;
  if (valImages !== null && valLabels !== null) {
    const val = readSplit(valImages, valLabels);
    if (val.h !== train.h || val.w !== train.w) {
      throw new DatasetError(
        `${basename(valImages)} images are ${val.h}×${val.w} but the training images are ${train.h}×${train.w}.`,
      );
    }
    validation = val.split;
  }
  let maxLabel = 0;
  for (const l of train.split.labels) maxLabel = Math.max(maxLabel, l);
  for (const l of validation?.labels ?? []) maxLabel = Math.max(maxLabel, l);
  return {
    name,
    classNames: Array.from({ length: maxLabel + 1 }, (_, i) => String(i)),
    shape: [1, train.h, train.w],
    train: train.split,
    validation,
    skipped: 0,
  };
}
