/**
 * Where a network's cost sits: each top-level node's share of the parameters, MACs or activation
 * memory, for the editor's heatmap. The shares are computed from any per-node values, so a
 * measured metric (time per layer from a future Profile action) can feed the same heatmap as
 * another CostMetric whose `values` come from the profile instead of the analysis.
 */
import type { GraphAnalysis, NodeAnalysis } from '../analysis/analyze.js';
import { formatBytes, formatCount } from '../format/numbers.js';

export interface CostMetric {
  /** `params`, `macs`, `memory`; `time` from a profile (measuredTime.ts). */
  readonly id: string;
  /** `Params`: the toggle's word. */
  readonly label: string;
  /** `of all parameters`: the legend's caption after the share. */
  readonly of: string;
  /** The cost of each top-level node (a block: the sum of its inner layers). */
  readonly values: (analysis: GraphAnalysis) => ReadonlyMap<string, number>;
  readonly format: (value: number) => string;
}

/** Each top-level node's value of one analysis field, unknown nodes left out. */
function perNode(
  analysis: GraphAnalysis,
  value: (node: NodeAnalysis) => number,
): ReadonlyMap<string, number> {
  const values = new Map<string, number>();
  for (const id of analysis.order) {
    const node = analysis.nodes.get(id);
    if (node !== undefined) values.set(id, value(node));
  }
  return values;
}

/** The metrics the analysis gives, in the toggle's order (one definition object each). */
export const COST_METRICS: readonly CostMetric[] = [
  {
    id: 'params',
    label: 'Params',
    of: 'of all parameters',
    values: (a) => perNode(a, (n) => n.params),
    format: formatCount,
  },
  {
    id: 'macs',
    label: 'MACs',
    of: 'of all MACs',
    values: (a) => perNode(a, (n) => n.macs),
    format: formatCount,
  },
  {
    id: 'memory',
    label: 'Memory',
    of: 'of activation memory',
    // The Input's tensor is the data, not an activation (as Totals.activationBytes counts).
    values: (a) => perNode(a, (n) => (n.type === 'Input' ? 0 : n.activationBytes)),
    format: formatBytes,
  },
];

export function costMetric(id: string): CostMetric | undefined {
  return COST_METRICS.find((m) => m.id === id);
}

export interface CostShares {
  /** Each node's share of the total, 0…1. */
  readonly shares: ReadonlyMap<string, number>;
  readonly total: number;
  /** The largest share (the top of the legend's scale); 0 when nothing costs anything. */
  readonly max: number;
  /** The most expensive node (the first in order on a tie), or null when nothing costs anything. */
  readonly top: string | null;
}

/** Shares of the total for any per-node values (negative or non-finite values count as 0). */
export function costShares(values: ReadonlyMap<string, number>): CostShares {
  let total = 0;
  for (const v of values.values()) if (Number.isFinite(v) && v > 0) total += v;
  const shares = new Map<string, number>();
  let max = 0;
  let top: string | null = null;
  for (const [id, v] of values) {
    const share = total > 0 && Number.isFinite(v) && v > 0 ? v / total : 0;
    shares.set(id, share);
    if (share > max) {
      max = share;
      top = id;
    }
  }
  return { shares, total, max, top };
}

/**
 * The colour step of a share on a scale from 0 to the largest share, `0…steps−1`; a node that
 * costs nothing is step −1 (drawn neutral, so the costly ones stand out). Relative to the largest
 * share, so a network whose cost is spread thin still uses the whole palette.
 */
export function shareStep(share: number, max: number, steps: number): number {
  if (!(share > 0) || !(max > 0)) return -1;
  return Math.min(steps - 1, Math.floor((share / max) * steps));
}

/** `38.6%`, `0.4%`, `100%`; `<0.1%` for a cost too small to read, `0%` for none. */
export function formatShare(share: number): string {
  if (!(share > 0)) return '0%';
  if (share >= 1) return '100%';
  if (share < 0.001) return '<0.1%';
  return `${(share * 100).toFixed(1)}%`;
}
