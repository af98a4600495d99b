import type { GraphAnalysis } from '../analysis/analyze.js';
import { layerTensors } from './layerTensors.js';

/** Why a layer does not take the given weights. */
export type FreshReason = 'changed' | 'new';

/** Which of a graph's weighted layers the given weights fit, and which start fresh. */
export interface WeightsFit {
  /** Layers that own tensors (weights or buffers), in the analysis's order. */
  readonly weighted: number;
  /** Layers every tensor of which is given with the same name and shape: they take the weights. */
  readonly kept: readonly string[];
  /**
   * Layers that start from fresh weights: `changed` when a tensor of that name is given with
   * another shape (or one of its tensors is missing), `new` when none of its tensors is given.
   */
  readonly fresh: readonly { readonly id: string; readonly reason: FreshReason }[];
}

/**
 * Matches a graph's layers against weights known by state-dict key (`conv1.weight`) and shape.
 * A layer takes the weights only whole: a Conv2d whose bias was switched on starts fresh, so no
 * layer mixes imported and fresh tensors.
 */
export function weightsFit(
  analysis: GraphAnalysis,
  given: ReadonlyMap<string, readonly number[]>,
): WeightsFit {
  const kept: string[] = [];
  const fresh: { id: string; reason: FreshReason }[] = [];
  let weighted = 0;
  for (const layer of analysis.layers) {
    const tensors = layerTensors(layer);
    if (tensors.length === 0) continue;
    weighted++;
    const found = tensors.map((t) => given.get(`${layer.id}.${t.name}`));
    if (found.every((shape, i) => shape !== undefined && sameShape(shape, tensors[i]!.shape))) {
      kept.push(layer.id);
    } else {
      fresh.push({ id: layer.id, reason: found.some((s) => s !== undefined) ? 'changed' : 'new' });
    }
  }
  return { weighted, kept, fresh };
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** At most this many layer names are listed; the rest are counted. */
const LISTED = 8;

/**
 * The fit in a sentence, for the training panel, the Inspect views and the engine's warning:
 * `Starts from the weights of lenet.onnx: 4 of 5 weighted layers; fresh: fc3 (changed).`
 */
export function describeWeightsFit(fit: WeightsFit, source: string): string {
  if (fit.weighted === 0)
    return `The graph has no weighted layer: the weights of ${source} do not apply.`;
  if (fit.kept.length === 0) {
    return `The weights of ${source} no longer fit this graph (no weighted layer keeps its name and shape): every layer starts from fresh weights.`;
  }
  if (fit.fresh.length === 0) {
    return `Starts from the weights of ${source}: all ${fit.weighted} weighted layers.`;
  }
  const listed = fit.fresh.slice(0, LISTED).map((f) => `${f.id} (${f.reason})`);
  const more = fit.fresh.length > LISTED ? ` and ${fit.fresh.length - LISTED} more` : '';
  return (
    `Starts from the weights of ${source}: ${fit.kept.length} of ${fit.weighted} weighted layers; ` +
    `fresh weights for ${listed.join(', ')}${more}.`
  );
}
