import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrainConfig } from '../../../src/api/training.js';
import type { GraphDocument } from '../../../src/core/graph/document.js';
import { CompiledModel } from '../../../src/engine/model/CompiledModel.js';
import { exportTorchWeights, importTorchWeights } from '../../../src/engine/model/torchWeights.js';
import type { ModelMeta } from '../../../src/engine/train/checkpoint.js';
import { createOptimizer, type StepOptimizer } from '../../../src/engine/train/StepOptimizer.js';

/** A model and optimizer whose every weight and state value is set to the epoch it stands for,
 * so a loaded checkpoint shows whether its files belong together. */
export interface EpochModel {
  readonly graph: GraphDocument;
  readonly model: CompiledModel;
  readonly optimizer: StepOptimizer;
  setEpoch(epoch: number): void;
  meta(epoch: number): ModelMeta;
}

export function epochModel(): EpochModel {
  const graph = JSON.parse(
    readFileSync(join(import.meta.dirname, '../../../templates/mlp-digits.nnb.json'), 'utf8'),
  ) as GraphDocument;
  const parsed = parseTrainConfig({ backend: 'cpu' });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const model = CompiledModel.compile(graph, 0);
  const optimizer = createOptimizer(parsed.config.optimizer, model.trainableVariables());
  return {
    graph,
    model,
    optimizer,
    setEpoch(epoch) {
      const weights = exportTorchWeights(model);
      for (const t of weights.values()) t.data.fill(epoch);
      importTorchWeights(model, weights);
      // Adam's slots (torch.optim's exp_avg / exp_avg_sq), one pair per trainable variable.
      const state = new Map<string, tf.Tensor>();
      model.trainableVariables().forEach((v, i) => {
        for (const slot of ['m', 'v']) state.set(`${i}/${slot}`, tf.fill(v.shape, epoch));
      });
      optimizer.load(state, epoch);
    },
    meta: (epoch) => ({
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      dataShape: [1, 28, 28],
      mean: [0],
      std: [1],
      epoch,
      valAccuracy: epoch / 1000,
      backend: 'cpu',
    }),
  };
}
