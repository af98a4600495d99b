import { analyze } from '../../core/analysis/analyze.js';
import type { GraphDocument } from '../../core/graph/document.js';
import type { StateDict } from '../../core/weights/StateDict.js';
import { CompiledModel } from '../model/CompiledModel.js';
import { importTorchWeights, type TorchTensor } from '../model/torchWeights.js';
import { saveCheckpoint, type ModelMeta } from './checkpoint.js';

/** The `backend` an imported checkpoint records: its weights were trained elsewhere. */
export const IMPORTED = 'imported';

/** What prediction needs besides the weights, for a model trained elsewhere: pixels/255 (mean 0,
 * std 1) and numbered classes, as the file holds neither. */
export function importedModelMeta(graph: GraphDocument): ModelMeta {
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
    backend: IMPORTED,
  };
}

/**
 * Writes an imported graph's weights as a checkpoint folder (model.json + weights.bin) with the
 * engine's own saveCheckpoint: loading them into the compiled model first checks every tensor's
 * name and shape. `dir` is replaced as a whole.
 */
export async function saveImportedCheckpoint(
  dir: string,
  graph: GraphDocument,
  state: StateDict,
): Promise<void> {
  const model = CompiledModel.compile(graph);
  try {
    const weights = new Map<string, TorchTensor>();
    for (const [key, t] of state) {
      weights.set(key, { shape: [...t.shape], data: Float32Array.from(t.data) });
    }
    importTorchWeights(model, weights);
    await saveCheckpoint(dir, graph, model, importedModelMeta(graph));
  } finally {
    model.dispose();
  }
}
