import type { DatasetInfo, TrainConfig } from '../../api/training.js';
import { Random } from '../random.js';
import { DatasetError, type Dataset, type ImageSplit } from './Dataset.js';

/** Everything the training loop needs from the data, fixed for the whole run. */
export interface PreparedData {
  readonly info: DatasetInfo;
  readonly train: ImageSplit;
  readonly validation: ImageSplit;
  /** Per channel, in units of pixel/255. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

function take(split: ImageSplit, indices: ArrayLike<number>, sampleSize: number): ImageSplit {
  const images = new Uint8Array(indices.length * sampleSize);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    images.set(split.images.subarray(j * sampleSize, (j + 1) * sampleSize), i * sampleSize);
    labels[i] = split.labels[j]!;
  }
  return { images, labels, count: indices.length };
}

/** A seeded random subset of at most `limit` samples (all of them, in order, when null). */
function subset(
  split: ImageSplit,
  limit: number | null,
  sampleSize: number,
  random: Random,
): ImageSplit {
  if (limit === null || limit >= split.count) return split;
  const order = Int32Array.from({ length: split.count }, (_, i) => i);
  random.shuffle(order);
  return take(split, order.subarray(0, limit), sampleSize);
}

/** Per-channel mean and standard deviation of the training pixels (scaled to [0, 1]). */
export function channelStats(
  split: ImageSplit,
  channels: number,
): { mean: number[]; std: number[] } {
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  const { images } = split;
  for (let i = 0; i < images.length; i++) {
    const v = images[i]! / 255;
    const c = i % channels;
    sum[c]! += v;
    sq[c]! += v * v;
  }
  const n = images.length / channels;
  const mean = Array.from(sum, (s) => s / n);
  const std = Array.from(sq, (s, c) => Math.sqrt(Math.max(s / n - mean[c]! ** 2, 0)) || 1);
  return { mean, std };
}

function perChannel(values: readonly number[], channels: number, what: string): number[] {
  if (values.length === 1) return Array.from({ length: channels }, () => values[0]!);
  if (values.length === channels) return [...values];
  throw new DatasetError(
    `normalization.${what} has ${values.length} values; give 1 or one per channel (${channels}).`,
  );
}

/** Splits off validation when needed, applies the sample limits and fixes the normalization. */
export function prepareData(dataset: Dataset, config: TrainConfig): PreparedData {
  const [c, h, w] = dataset.shape;
  const sampleSize = c * h * w;
  const random = new Random(config.seed ^ 0x5eed);
  let train = dataset.train;
  let validation = dataset.validation;
  if (validation === null) {
    // A fixed, seeded hold-out: the same seed holds out the same samples.
    const order = Int32Array.from({ length: train.count }, (_, i) => i);
    random.shuffle(order);
    const held = Math.max(1, Math.round(train.count * config.validationFraction));
    if (train.count - held < 1) {
      throw new DatasetError(
        `${dataset.name} has only ${train.count} sample(s): too few to train and validate.`,
      );
    }
    validation = take(train, order.subarray(0, held), sampleSize);
    train = take(train, order.subarray(held), sampleSize);
  }
  train = subset(train, config.maxTrainSamples, sampleSize, random);
  validation = subset(validation, config.maxValidationSamples, sampleSize, random);
  for (const [name, split] of [
    ['training', train],
    ['validation', validation],
  ] as const) {
    for (const label of split.labels) {
      if (label >= dataset.classNames.length) {
        throw new DatasetError(
          `A ${name} label is ${label}, but ${dataset.name} has ${dataset.classNames.length} classes.`,
        );
      }
    }
  }
  const norm = config.normalization;
  const stats =
    norm.kind === 'dataset'
      ? channelStats(train, c)
      : norm.kind === 'none'
        ? { mean: Array<number>(c).fill(0), std: Array<number>(c).fill(1) }
        : { mean: perChannel(norm.mean, c, 'mean'), std: perChannel(norm.std, c, 'std') };
  return {
    info: {
      name: dataset.name,
      classNames: [...dataset.classNames],
      inputShape: [c, h, w],
      trainSize: train.count,
      validationSize: validation.count,
      skipped: dataset.skipped,
    },
    train,
    validation,
    mean: stats.mean,
    std: stats.std,
  };
}
