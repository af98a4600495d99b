import type { GraphDocument } from '../../core/graph/document.js';
import type { StateDict } from '../../core/weights/StateDict.js';
import { encodeSafetensors } from '../safetensors.js';
import { generateModelPy } from './modelPy.js';
import { TRAIN_PY } from './trainPy.js';

/** The files of a PyTorch export, by name. */
export type ExportFiles = ReadonlyMap<string, string | Uint8Array>;

/**
 * model.py (readable nn.Module + a torch-only weights loader), weights.safetensors (every
 * parameter and buffer, keys as `model.state_dict()` names them) and train.py (single process or
 * torchrun DDP).
 */
export function exportPyTorch(
  graph: GraphDocument,
  state: StateDict,
  sourceName: string,
): ExportFiles {
  const model = generateModelPy(graph, sourceName);
  // `layer1_0/conv1.weight` → `layer1_0.conv1.weight`, with the top-level id as its Python attribute.
  const pythonKey = (key: string) => {
    const dot = key.lastIndexOf('.');
    const [top = '', ...inner] = key.slice(0, dot).split('/');
    return [model.attributes.get(top) ?? top, ...inner, key.slice(dot + 1)].join('.');
  };
  return new Map<string, string | Uint8Array>([
    ['model.py', model.source],
    [
      'weights.safetensors',
      encodeSafetensors(state, pythonKey, {
        producer: 'NN Builder',
        graph: graph.name ?? sourceName,
      }),
    ],
    ['train.py', TRAIN_PY],
  ]);
}
