import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MistakesResult } from '../../api/inspect.js';
import type { PreparedData } from '../data/prepareData.js';
import { VALIDATION_PREDICTIONS } from '../train/runTraining.js';
import { encodePixels } from './encode.js';
import { sampleBytes } from './inspectData.js';

/** The run's last evaluation: each validation sample's predicted class (int32, the split's order). */
export function readPredictions(dir: string): Int32Array {
  const path = join(dir, VALIDATION_PREDICTIONS);
  if (!existsSync(path)) {
    throw new Error(
      `The run has no validation predictions yet (${VALIDATION_PREDICTIONS}): wait until its first epoch ends.`,
    );
  }
  const bytes = readFileSync(path);
  if (bytes.byteLength % 4 !== 0) {
    throw new Error(`${path} is not whole int32 values (${bytes.byteLength} bytes).`);
  }
  const copy = new Uint8Array(bytes);
  return new Int32Array(copy.buffer, 0, copy.byteLength / 4);
}

/**
 * The validation samples of confusion cell [trueClass][predictedClass], `limit` of them from
 * `offset`, with the cell's total. The predictions must match the split sample for sample.
 */
export function cellMistakes(
  data: PreparedData,
  predicted: Int32Array,
  cell: { trueClass: number; predictedClass: number; offset: number; limit: number },
): MistakesResult {
  const { validation, info } = data;
  const classes = info.classNames.length;
  if (predicted.length !== validation.count) {
    throw new Error(
      `The run's ${VALIDATION_PREDICTIONS} holds ${predicted.length} predictions, but its validation split, prepared again from config.json, has ${validation.count} samples: the dataset changed since the run was trained, so its mistakes cannot be matched to images.`,
    );
  }
  for (const [name, value] of [
    ['trueClass', cell.trueClass],
    ['predictedClass', cell.predictedClass],
  ] as const) {
    if (value >= classes) {
      throw new Error(
        `${name} is ${value}, but the run has ${classes} classes (0–${classes - 1}).`,
      );
    }
  }
  const [c, h, w] = info.inputShape as [number, number, number];
  const size = c * h * w;
  const inCell: number[] = [];
  for (let i = 0; i < validation.count; i++) {
    if (validation.labels[i] === cell.trueClass && predicted[i] === cell.predictedClass)
      inCell.push(i);
  }
  return {
    trueClass: cell.trueClass,
    predictedClass: cell.predictedClass,
    classNames: [...info.classNames],
    total: inCell.length,
    validationSize: validation.count,
    images: inCell.slice(cell.offset, cell.offset + cell.limit).map((index) => ({
      index,
      image: encodePixels(sampleBytes(validation, index, size), [c, h, w]),
    })),
  };
}
