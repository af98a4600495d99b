import type { GraphAnalysis } from '../analysis/analyze.js';

/**
 * The receptive field at the network's outputs, in input pixels: the smallest over every output
 * and both axes, so a budget `RF ≥ 28` asks that every output unit see at least 28×28 pixels.
 * A Flatten output keeps its map position's field; after a Linear layer every output sees the
 * whole input (Infinity), as the compare view's "Receptive field at each output" row says.
 * Null when there is no output or a field is unknown (an error upstream).
 */
export function outputField(analysis: GraphAnalysis): number | null {
  if (analysis.outputs.length === 0) return null;
  let smallest = Number.POSITIVE_INFINITY;
  for (const id of analysis.outputs) {
    const node = analysis.nodes.get(id);
    if (node === undefined || node.outputShape === null) return null;
    const flattened =
      node.type === 'Flatten' ? analysis.nodes.get(node.sources[0] ?? '')?.receptiveField : null;
    const field = node.receptiveField ?? flattened ?? null;
    // No field on a known shape: a flat (Linear-like) output, which sees every input value.
    if (field === null) continue;
    smallest = Math.min(smallest, field.size[0], field.size[1]);
  }
  return smallest;
}
