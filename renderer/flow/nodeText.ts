import type { NodeAnalysis } from '../../src/core/analysis/analyze';
import type { ReceptiveField } from '../../src/core/analysis/receptiveField';
import type { GraphNode } from '../../src/core/graph/document';
import { formatCount } from '../../src/core/format/numbers';
import { scaled } from '../../src/core/format/summaryTable';
import { getDefinition } from '../../src/core/layers/registry';
import { resolveParams } from '../../src/core/params/resolveParams';

/**
 * The one line under a node's type: its defining parameters in the notation of papers and
 * PyTorch reprs — `6 @ 5×5 · pad 2`, `2×2`, `→ 120`, `p 0.5` — as its definition's `keyParams`
 * writes them from the resolved params. A type without that rule, or params that do not resolve,
 * lists the non-advanced params as written.
 */
export function keyParams(node: GraphNode): string {
  const definition = getDefinition(node.type);
  if (definition === undefined) return '';
  if (definition.keyParams !== undefined) {
    const inferred =
      definition.kind === 'layer' && definition.inferred ? [definition.inferred.name] : [];
    const { values } = resolveParams(definition.params, node.params, node.id, node.id, inferred);
    if (values !== null) return definition.keyParams(values);
  }
  const specs = definition.params;
  return Object.entries(node.params ?? {})
    .filter(([name]) => specs[name] !== undefined && !specs[name]?.advanced)
    .map(([name, v]) => `${name} ${JSON.stringify(v)}`)
    .join(' · ');
}

/** `5`, or `5×7` when the axes differ. */
export function fieldText(f: ReceptiveField | null): string | null {
  if (f === null) return null;
  return f.size[0] === f.size[1] ? String(f.size[0]) : `${f.size[0]}×${f.size[1]}`;
}

/** Compact counts for badges: 156, 61.7k, 11.7M. */
export function compact(n: number): string {
  // formatCount, not toLocaleString: this runs for every node on every edit.
  if (n < 1e4) return formatCount(n);
  return scaled(n)
    .replace(' ', '')
    .replace(/\.?0+([kMG])$/, '$1');
}

/** Badge texts of an analysed node. */
export function badges(a: NodeAnalysis | undefined): {
  params: string | null;
  macs: string | null;
} {
  if (a === undefined || a.outputShape === null) return { params: null, macs: null };
  return {
    params: a.params > 0 ? compact(a.params) : null,
    macs: a.macs > 0 ? compact(a.macs) : null,
  };
}
