import type { GraphAnalysis } from '../../src/core/analysis/analyze';
import { getDefinition } from '../../src/core/layers/registry';

/** One chip of a variant's read-only strip: `Conv2d 7×7·32`, coloured by the layer's category. */
export interface LayerChip {
  readonly id: string;
  readonly text: string;
  readonly category: string;
}

/**
 * The top-level layers in order as short chips, as their definitions' `chip` writes them (blocks
 * stay one chip, named by type), the Input left out.
 */
export function layerChips(analysis: GraphAnalysis): LayerChip[] {
  return analysis.order.flatMap((id) => {
    const n = analysis.nodes.get(id);
    if (!n || n.type === 'Input') return [];
    const definition = getDefinition(n.type);
    const chip = definition?.kind === 'layer' ? definition.chip : undefined;
    const text = chip !== undefined && n.resolvedParams !== null ? chip(n.resolvedParams) : n.type;
    return [{ id, text, category: definition?.category ?? 'Blocks' }];
  });
}

/** A strip item: one layer, or a run of an identical block of layers (`6 × [Linear 64 → Sigmoid]`). */
export type StripItem =
  | { readonly kind: 'layer'; readonly chip: LayerChip }
  | { readonly kind: 'repeat'; readonly count: number; readonly chips: readonly LayerChip[] };

/** Longest repeated block looked for: enough for Linear → BatchNorm → Sigmoid. */
const MAX_PERIOD = 4;

/**
 * Folds consecutive repeats of the same block of chips into one item, so a deep MLP reads
 * `Flatten → 6 × [Linear 64 → Sigmoid] → Linear 10` and a VGG stack `3 × [Conv2d 3×3·32 → ReLU]`.
 */
export function foldRepeats(chips: readonly LayerChip[]): StripItem[] {
  const items: StripItem[] = [];
  let i = 0;
  while (i < chips.length) {
    let best = { period: 1, count: 1 };
    for (let period = 1; period <= MAX_PERIOD; period++) {
      let count = 1;
      while (sameBlock(chips, i, i + count * period, period)) count++;
      if (count > 1 && count * period > best.count * best.period) best = { period, count };
    }
    if (best.count > 1) {
      items.push({ kind: 'repeat', count: best.count, chips: chips.slice(i, i + best.period) });
      i += best.count * best.period;
    } else {
      items.push({ kind: 'layer', chip: chips[i] as LayerChip });
      i++;
    }
  }
  return items;
}

function sameBlock(chips: readonly LayerChip[], a: number, b: number, length: number): boolean {
  if (b + length > chips.length) return false;
  for (let k = 0; k < length; k++) if (chips[a + k]?.text !== chips[b + k]?.text) return false;
  return true;
}
