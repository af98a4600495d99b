import type { GraphAnalysis } from '../../src/core/analysis/analyze';
import {
  costMetric,
  costShares,
  shareStep,
  type CostMetric,
  type CostShares,
} from '../../src/core/cost/costShares';
import { measuredTimeMetric } from '../../src/core/cost/measuredTime';
import type { LayerProfile } from '../../src/core/profile/layerProfile';

/**
 * Viridis in six steps (van der Walt & Smith, matplotlib's default): sequential, even in
 * lightness and readable with every common colour-vision deficiency; the top step is the costliest.
 * `ink` is the text colour that keeps 4.5:1 contrast on each step.
 */
export const HEAT_STEPS: readonly { readonly fill: string; readonly ink: string }[] = [
  { fill: '#440154', ink: '#ffffff' },
  { fill: '#414487', ink: '#ffffff' },
  { fill: '#2a788e', ink: '#ffffff' },
  { fill: '#22a884', ink: '#0b1020' },
  { fill: '#7ad151', ink: '#0b1020' },
  { fill: '#fde725', ink: '#0b1020' },
];

const cache = new WeakMap<GraphAnalysis, Map<string, CostShares>>();
const timeCache = new WeakMap<LayerProfile, WeakMap<GraphAnalysis, CostShares>>();

/** A metric of the analysis, or `time` from the last profile (none without one). */
export function heatMetric(metric: string, profile: LayerProfile | null): CostMetric | undefined {
  if (metric === 'time') return profile === null ? undefined : measuredTimeMetric(profile);
  return costMetric(metric);
}

/**
 * The shares of one metric for one analysis, computed once per analysis (every node asks);
 * `time` once per analysis and profile.
 */
export function sharesFor(
  analysis: GraphAnalysis,
  metric: string,
  profile: LayerProfile | null = null,
): CostShares | null {
  if (metric === 'time') {
    if (profile === null) return null;
    let byAnalysis = timeCache.get(profile);
    if (byAnalysis === undefined) timeCache.set(profile, (byAnalysis = new WeakMap()));
    let shares = byAnalysis.get(analysis);
    if (shares === undefined) {
      shares = costShares(measuredTimeMetric(profile).values(analysis));
      byAnalysis.set(analysis, shares);
    }
    return shares;
  }
  let byMetric = cache.get(analysis);
  if (byMetric === undefined) {
    byMetric = new Map();
    cache.set(analysis, byMetric);
  }
  let shares = byMetric.get(metric);
  if (shares === undefined) {
    const definition = costMetric(metric);
    if (definition === undefined) return null;
    shares = costShares(definition.values(analysis));
    byMetric.set(metric, shares);
  }
  return shares;
}

/**
 * A node's heat as one string (`0.576|5`: share and step; step −1 costs nothing), so a node's
 * store selector returns a primitive and the node re-renders only when its own heat changes.
 */
export function heatKey(
  analysis: GraphAnalysis,
  metric: string,
  id: string,
  profile: LayerProfile | null = null,
): string | null {
  const shares = sharesFor(analysis, metric, profile);
  const share = shares?.shares.get(id);
  if (shares === null || share === undefined) return null;
  return `${share}|${shareStep(share, shares.max, HEAT_STEPS.length)}`;
}
