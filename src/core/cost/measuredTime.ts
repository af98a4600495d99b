import type { GraphAnalysis } from '../analysis/analyze.js';
import { formatMs, nodeTimes, type LayerProfile } from '../profile/layerProfile.js';
import type { CostMetric } from './costShares.js';

/**
 * The heatmap's measured metric: each top-level node's forward + backward milliseconds from a
 * profile. Nodes the profile did not time (the Input, or a node added since) are left out, so
 * they are drawn as costing nothing rather than guessed.
 */
export function measuredTimeMetric(profile: LayerProfile): CostMetric {
  const times = nodeTimes(profile);
  return {
    id: 'time',
    label: 'Time',
    of: `of measured time (${profile.backend}, batch ${profile.batchSize})`,
    values: (analysis: GraphAnalysis) => {
      const values = new Map<string, number>();
      for (const id of analysis.order) {
        const t = times.get(id);
        if (t !== undefined) values.set(id, t);
      }
      return values;
    },
    format: formatMs,
  };
}
