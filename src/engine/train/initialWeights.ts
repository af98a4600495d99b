import { basename, dirname } from 'node:path';
import type { GraphAnalysis } from '../../core/analysis/analyze.js';
import { describeWeightsFit, weightsFit, type WeightsFit } from '../../core/weights/weightsFit.js';
import type { CompiledModel } from '../model/CompiledModel.js';
import { importTorchWeights } from '../model/torchWeights.js';
import { modelFolder } from '../predict/Predictor.js';
import {
  CheckpointError,
  loadCheckpoint,
  type LoadedCheckpoint,
  type ModelMeta,
} from './checkpoint.js';
import { IMPORTED } from './importedCheckpoint.js';

/** What starting from a checkpoint's weights gave: which layers took them, and in words. */
export interface InitialWeights {
  readonly fit: WeightsFit;
  /** The checkpoint's metadata: how its inputs were normalized. */
  readonly meta: ModelMeta;
  /** `Starts from the weights of lenet.onnx: …` (describeWeightsFit). */
  readonly note: string;
}

/** How a folder is named in messages: an import by its model's name, a run by its folder. */
function sourceName(folder: string, checkpoint: LoadedCheckpoint): string {
  if (checkpoint.meta.backend === IMPORTED)
    return `the imported ${checkpoint.graph.name ?? 'model'}`;
  const name = basename(folder);
  return ['best', 'last', 'initial'].includes(name) ? `${basename(dirname(folder))}/${name}` : name;
}

/**
 * Loads into `model` (freshly initialized) the weights of the checkpoint in `folder` (an import
 * folder, a run, or one of its checkpoint folders) for every layer whose tensors are all there
 * with the same names and shapes; the others keep their fresh weights. A folder holding no
 * checkpoint throws CheckpointError naming it.
 */
export function applyInitialWeights(
  model: CompiledModel,
  analysis: GraphAnalysis,
  folder: string,
): InitialWeights {
  let checkpoint;
  try {
    checkpoint = loadCheckpoint(modelFolder(folder));
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(`The initial weights: ${(error as Error).message}`);
  }
  const shapes = new Map([...checkpoint.weights].map(([key, t]) => [key, t.shape] as const));
  const fit = weightsFit(analysis, shapes);
  const kept = new Set(fit.kept);
  importTorchWeights(
    { weights: model.weights.filter((w) => kept.has(w.node) && checkpoint.weights.has(w.key)) },
    checkpoint.weights,
  );
  return {
    fit,
    meta: checkpoint.meta,
    note: describeWeightsFit(fit, sourceName(folder, checkpoint)),
  };
}
