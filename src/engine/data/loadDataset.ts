import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dataset as DatasetConfig } from '../../api/training.js';
import type { Dataset } from './Dataset.js';
import { DatasetError } from './Dataset.js';
import { loadCifar10 } from './loadCifar10.js';
import { loadIdxDataset } from './loadIdxDataset.js';
import { loadImageFolder } from './loadImageFolder.js';

/** assets/digits, found by walking up from this file (src/… when run from source, dist/src/… built). */
export function digitsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'assets', 'digits');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new DatasetError(
    'The built-in digits (assets/digits) are missing from this installation; reinstall NN Builder.',
  );
}

/** Loads the configured dataset; image folders are resized to the graph's Input shape. */
export function loadDataset(config: DatasetConfig, inputShape: readonly number[]): Dataset {
  if (config.kind !== 'digits' && !existsSync(config.path)) {
    throw new DatasetError(`${config.path} does not exist.`);
  }
  switch (config.kind) {
    case 'digits':
      return loadIdxDataset(digitsFolder(), 'digits');
    case 'idx':
      return loadIdxDataset(config.path);
    case 'cifar10':
      return loadCifar10(config.path);
    case 'image-folder':
      return loadImageFolder(
        config.path,
        inputShape.length === 3 ? inputShape : squareImage(inputShape),
      );
  }
}

/** The square image a flat Input of F features reads: 1×√F×√F, else 3×√(F/3)×√(F/3). */
function squareImage(inputShape: readonly number[]): readonly number[] {
  const f = inputShape.length === 1 ? (inputShape[0] ?? 0) : 0;
  for (const c of [1, 3]) {
    const side = Math.round(Math.sqrt(f / c));
    if (side > 0 && c * side * side === f) return [c, side, side];
  }
  throw new DatasetError(
    `The graph's Input is ${inputShape.join('×')}, which is no C×H×W image nor a flat square one (C·H·H with C = 1 or 3): set the Input shape to the images' C×H×W, e.g. [3, 32, 32].`,
  );
}

/**
 * Checks the data fits the graph's Input: the same C×H×W, or a flat Input of C·H·W features (the
 * sample is then flattened in C×H×W order). The message says what to set the Input to.
 */
export function checkInputShape(dataset: Dataset, inputShape: readonly number[]): void {
  const [c, h, w] = dataset.shape;
  const same =
    inputShape.length === 3 && inputShape[0] === c && inputShape[1] === h && inputShape[2] === w;
  const flat = inputShape.length === 1 && inputShape[0] === c * h * w;
  if (same || flat) return;
  throw new DatasetError(
    `The ${dataset.name} images are ${c}×${h}×${w}, but the graph's Input is ${inputShape.join('×')}. ` +
      `Set the Input shape to [${c}, ${h}, ${w}] (or [${c * h * w}] for a flat network).`,
  );
}
