import type { GraphDocument } from '../core/graph/document.js';
import type { StateDict, WeightTensor } from '../core/weights/StateDict.js';
import { modelFolder } from '../engine/predict/Predictor.js';
import { loadCheckpoint } from '../engine/train/checkpoint.js';
import { CliError } from './CliError.js';

/** The graph and trained weights of a run folder (its best checkpoint, else its last). */
export function readRunWeights(run: string): {
  graph: GraphDocument;
  state: StateDict;
  folder: string;
} {
  let folder: string;
  let checkpoint: ReturnType<typeof loadCheckpoint>;
  try {
    folder = modelFolder(run);
    checkpoint = loadCheckpoint(folder);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const state = new Map<string, WeightTensor>();
  for (const [key, t] of checkpoint.weights) {
    // The engine keeps every tensor as float32; PyTorch's batch counter is an int64.
    const counter = key.endsWith('.num_batches_tracked');
    state.set(key, {
      shape: t.shape,
      dtype: counter ? 'int64' : 'float32',
      data: counter ? Float64Array.from(t.data) : t.data,
    });
  }
  return { graph: checkpoint.graph, state, folder };
}
