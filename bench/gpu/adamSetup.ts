import { defaultOptimizer } from '../../src/api/training.js';
import type { GraphDocument } from '../../src/core/graph/document.js';
import type { BatchData } from '../../src/engine/data/makeBatch.js';
import { CompiledModel } from '../../src/engine/model/CompiledModel.js';
import { outputKind } from '../../src/engine/train/loss.js';
import { createOptimizer } from '../../src/engine/train/StepOptimizer.js';
import type { StepSetup } from '../../src/engine/train/trainStep.js';

/** A graph compiled (weights from `seed`) with Adam at lr 1e-3 for `backend`, as training runs it. */
export function adamSetup(
  graph: GraphDocument,
  backend: 'webgpu' | 'cpu',
  seed: number,
): StepSetup {
  const model = CompiledModel.compile(graph, seed);
  const variables = model.trainableVariables();
  return {
    model,
    variables,
    optimizer: createOptimizer({ ...defaultOptimizer('adam'), lr: 1e-3 }, variables, backend),
    loss: 'cross-entropy',
    kind: outputKind(model.outputType),
    nextSeed: () => 0,
  };
}

/** `count` batches of uniform random inputs in [−1, 1) and cycling labels for `model`. */
export function randomBatches(
  model: CompiledModel,
  batch: number,
  count: number,
  seed: number,
): BatchData[] {
  const per = model.inputShape.reduce((a, b) => a * b, 1);
  const classes = model.outputShape[0]!;
  return Array.from({ length: count }, (_, b) => {
    let s = (seed + b) >>> 0 || 1;
    const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
    return {
      x: new Float32Array(batch * per).map(next),
      labels: Int32Array.from({ length: batch }, (_, i) => (i * 5 + b) % classes),
      size: batch,
    };
  });
}
