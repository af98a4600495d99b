import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../core/analysis/analyze.js';
import type { GraphDocument } from '../core/graph/document.js';
import type { StateDict } from '../core/weights/StateDict.js';
import { CompiledModel } from '../engine/model/CompiledModel.js';
import type { TorchTensor } from '../engine/model/torchWeights.js';
import { importTorchWeights } from '../engine/model/torchWeights.js';
import { saveCheckpoint, type ModelMeta } from '../engine/train/checkpoint.js';

/** The files saveCheckpoint writes: a checkpoint folder's complete content. */
const CHECKPOINT_FILES = ['model.json', 'weights.bin'] as const;

/**
 * Imported weights as the files of a checkpoint folder (model.json + weights.bin), written by the
 * engine's own saveCheckpoint into a scratch folder and read back: the layout has one writer, and
 * loading the weights into the compiled model checks every tensor's name and shape on the way.
 * Prediction reads images as pixels/255 (mean 0, std 1); the classes are numbered.
 */
export async function checkpointFiles(
  graph: GraphDocument,
  state: StateDict,
): Promise<[string, Uint8Array][]> {
  const model = CompiledModel.compile(graph);
  const scratch = mkdtempSync(join(tmpdir(), 'nnb-import-'));
  try {
    const weights = new Map<string, TorchTensor>();
    for (const [key, t] of state) {
      weights.set(key, { shape: [...t.shape], data: Float32Array.from(t.data) });
    }
    importTorchWeights(model, weights);
    await saveCheckpoint(join(scratch, 'initial'), graph, model, modelMeta(graph));
    return CHECKPOINT_FILES.map((name) => [name, readFileSync(join(scratch, 'initial', name))]);
  } finally {
    model.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What prediction needs besides the weights, for a model trained elsewhere. */
function modelMeta(graph: GraphDocument): ModelMeta {
  const analysis = analyze(graph);
  const input = analysis.layers.find((l) => l.type === 'Input')?.outputShape ?? [];
  const output = analysis.nodes.get(analysis.outputs[0] ?? '')?.outputShape ?? [];
  const classes = output.length === 1 ? (output[0] ?? 1) : 1;
  return {
    classNames: Array.from({ length: classes }, (_, i) => String(i)),
    dataShape: input.length === 3 ? [...input] : [1, 1, input.reduce((a, b) => a * b, 1)],
    mean: [0],
    std: [1],
    epoch: 0,
    valAccuracy: 0,
    backend: 'imported',
  };
}
