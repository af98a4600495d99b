import type { NodeAnalysis } from '../analysis/analyze.js';
import { getDefinition } from '../layers/registry.js';
import type { TensorSpec } from './StateDict.js';

/**
 * The tensors of a primitive layer in PyTorch's layout, as its definition declares them
 * (`LayerDefinition.tensors`). Layers without parameters (and layers whose params or shapes are
 * invalid) own none.
 */
export function layerTensors(layer: NodeAnalysis): readonly TensorSpec[] {
  const definition = getDefinition(layer.type);
  if (definition?.kind !== 'layer' || definition.tensors === undefined) return [];
  if (layer.resolvedParams === null || layer.outputShape === null) return [];
  return definition.tensors(layer.resolvedParams, layer.inputShapes[0] ?? []);
}
