import { TrainConfigSchema } from '../../api/training.js';
import type { ImageSplit } from '../data/Dataset.js';
import { checkInputShape, loadDataset } from '../data/loadDataset.js';
import { prepareData, type PreparedData } from '../data/prepareData.js';
import { planGraph } from '../model/compilePlan.js';
import { readRunConfig, readRunGraph } from './runFolder.js';

/** The built-in digits with the default config's split and normalization (what a run on them uses). */
export function digitsData(): PreparedData {
  return prepareData(loadDataset({ kind: 'digits' }, [1, 28, 28]), TrainConfigSchema.parse({}));
}

/**
 * A run's data prepared again from its config.json: the same dataset, seed, hold-out and limits
 * give the same validation split, in the same order, as the run evaluated.
 */
export function runData(dir: string): PreparedData {
  const config = readRunConfig(dir);
  const inputShape = planGraph(readRunGraph(dir)).input.shape;
  const dataset = loadDataset(config.dataset, inputShape);
  checkInputShape(dataset, inputShape);
  return prepareData(dataset, config);
}

/** Sample `index`'s bytes (H×W×C) of a split whose samples are `size` bytes each. */
export function sampleBytes(split: ImageSplit, index: number, size: number): Uint8Array {
  return split.images.subarray(index * size, (index + 1) * size);
}

/**
 * `count` validation indices, one per class in class order (0, 1, …, K−1, 0, …), each the first
 * sample of its class not yet taken; classes without samples are skipped.
 */
export function pickSamples(split: ImageSplit, classes: number, count: number): number[] {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < split.count; i++) byClass[split.labels[i]!]?.push(i);
  const picked: number[] = [];
  for (let round = 0; picked.length < Math.min(count, split.count); round++) {
    let any = false;
    for (const indices of byClass) {
      const index = indices[round];
      if (index === undefined) continue;
      any = true;
      if (picked.length < count) picked.push(index);
    }
    if (!any) break;
  }
  return picked;
}
