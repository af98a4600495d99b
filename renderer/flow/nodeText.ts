import type { NodeAnalysis } from '../../src/core/analysis/analyze';
import type { ReceptiveField } from '../../src/core/analysis/receptiveField';
import type { GraphNode, ParamValue } from '../../src/core/graph/document';
import { formatCount } from '../../src/core/format/numbers';
import { scaled } from '../../src/core/format/summaryTable';
import { getDefinition } from '../../src/core/layers/registry';

const pairText = (v: ParamValue | undefined): string =>
  Array.isArray(v) ? (v[0] === v[1] ? String(v[0]) : v.join('×')) : String(v);
const squareText = (v: ParamValue | undefined): string =>
  Array.isArray(v) ? v.join('×') : `${String(v)}×${String(v)}`;

/**
 * The one line under a node's type: its defining parameters in the notation of papers and
 * PyTorch reprs — `6 @ 5×5 · pad 2`, `2×2`, `→ 120`, `p 0.5`.
 */
export function keyParams(node: GraphNode): string {
  const p = node.params ?? {};
  const has = (name: string) => p[name] !== undefined;
  const extras = (names: readonly [string, string][]) =>
    names
      .filter(([name]) => has(name) && !(Array.isArray(p[name]) ? false : p[name] === 0))
      .map(([name, label]) => `${label} ${pairText(p[name])}`);
  switch (node.type) {
    case 'Input':
      return Array.isArray(p.shape) ? p.shape.join('×') : '1×28×28';
    case 'Conv2d':
    case 'ConvTranspose2d': {
      const head = `${String(p.out_channels ?? '?')} @ ${has('kernel_size') ? squareText(p.kernel_size) : '?'}`;
      const more = extras([
        ['stride', 's'],
        ['padding', 'pad'],
        ['dilation', 'dil'],
        ['groups', 'g'],
      ]).filter((t) => t !== 's 1' && t !== 'dil 1' && t !== 'g 1');
      return [head, ...more, ...(p.bias === false ? ['no bias'] : [])].join(' · ');
    }
    case 'MaxPool2d':
    case 'AvgPool2d': {
      const head = has('kernel_size') ? squareText(p.kernel_size) : '?';
      return [
        head,
        ...extras([
          ['stride', 's'],
          ['padding', 'pad'],
        ]),
      ].join(' · ');
    }
    case 'AdaptiveAvgPool2d':
    case 'AdaptiveMaxPool2d':
      return `→ ${squareText(p.output_size)}`;
    case 'Linear':
      return `→ ${String(p.out_features ?? '?')}${p.bias === false ? ' · no bias' : ''}`;
    case 'Dropout':
    case 'Dropout2d':
      return `p ${String(p.p ?? 0.5)}`;
    case 'ResidualBlock':
      return `${String(p.out_channels ?? '?')} ch${p.stride !== undefined && p.stride !== 1 ? ` · s ${String(p.stride)}` : ''}`;
    case 'Bottleneck':
      return `${String(p.planes ?? '?')} planes${p.stride !== undefined && p.stride !== 1 ? ` · s ${String(p.stride)}` : ''}`;
    default: {
      const specs = getDefinition(node.type)?.params ?? {};
      return Object.entries(p)
        .filter(([name]) => specs[name] !== undefined && !specs[name]?.advanced)
        .map(([name, v]) => `${name} ${JSON.stringify(v)}`)
        .join(' · ');
    }
  }
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
