import type { FloatTensor } from '../../api/inspect.js';
import type { GraphAnalysis } from '../../core/analysis/analyze.js';
import type { TorchTensor } from '../model/torchWeights.js';
import { encodeFloats } from './encode.js';

/** Every Conv2d of the graph in dependency order (inner ids like `block1/conv1` included). */
export function convNodes(analysis: GraphAnalysis): string[] {
  return analysis.layers.filter((l) => l.type === 'Conv2d').map((l) => l.id);
}

/** The Conv2d to show: `node` when given (it must be a Conv2d), else the first one. */
export function pickConv(analysis: GraphAnalysis, node: string | null): string {
  const convs = convNodes(analysis);
  if (node === null) {
    const first = convs[0];
    if (first === undefined)
      throw new Error('The graph has no Conv2d layer, so no filters to show.');
    return first;
  }
  const found = analysis.nodes.get(node);
  if (found === undefined) throw new Error(`The graph has no node "${node}".`);
  if (found.type !== 'Conv2d') {
    throw new Error(
      `Filters are shown for Conv2d layers; "${node}" is a ${found.type}${convs.length > 0 ? ` (Conv2d layers: ${convs.join(', ')})` : ''}.`,
    );
  }
  return node;
}

/** A conv's kernel (O×I×kH×kW) from PyTorch-layout weights; the message names a missing one. */
export function convKernel(weights: ReadonlyMap<string, TorchTensor>, node: string): FloatTensor {
  const t = weights.get(`${node}.weight`);
  if (t === undefined) throw new Error(`The weights hold no tensor "${node}.weight".`);
  return encodeFloats(t.data, t.shape);
}
