import type { GraphAnalysis } from '../../src/core/analysis/analyze';
import { getDefinition } from '../../src/core/layers/registry';

/** One chip of a variant's read-only strip: `Conv2d 7×7·32`, coloured by the layer's category. */
export interface LayerChip {
  readonly id: string;
  readonly text: string;
  readonly category: string;
}

const pair = (v: unknown): string =>
  Array.isArray(v) ? (v[0] === v[1] ? `${String(v[0])}×${String(v[0])}` : v.join('×')) : String(v);

/** The top-level layers in order as short chips (blocks stay one chip), the Input left out. */
export function layerChips(analysis: GraphAnalysis): LayerChip[] {
  return analysis.order.flatMap((id) => {
    const n = analysis.nodes.get(id);
    if (!n || n.type === 'Input') return [];
    const p = n.resolvedParams ?? {};
    const category = getDefinition(n.type)?.category ?? 'Blocks';
    return [{ id, text: chipText(n.type, p), category }];
  });
}

function chipText(type: string, p: Readonly<Record<string, unknown>>): string {
  switch (type) {
    case 'Conv2d':
    case 'ConvTranspose2d':
      return `${type} ${pair(p.kernel_size)}·${String(p.out_channels)}`;
    case 'Linear':
      return `Linear ${String(p.out_features)}`;
    case 'MaxPool2d':
    case 'AvgPool2d':
      return `${type} ${pair(p.kernel_size)}`;
    case 'AdaptiveAvgPool2d':
    case 'AdaptiveMaxPool2d':
      return pair(p.output_size) === '1×1'
        ? `Global ${type.startsWith('AdaptiveAvg') ? 'avg' : 'max'} pool`
        : `${type} ${pair(p.output_size)}`;
    case 'Dropout':
    case 'Dropout2d':
      return `${type} ${String(p.p)}`;
    default:
      return type;
  }
}
