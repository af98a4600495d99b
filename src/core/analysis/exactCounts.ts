import type { Diagnostic } from '../diagnostics.js';
import { formatCount } from '../format/numbers.js';

/**
 * The largest count the analysis reports: 2^53 − 1 (Number.MAX_SAFE_INTEGER). Above it a float64
 * no longer holds every integer, so a product such as 1e9·1e9·1e9·… comes out as
 * 1.4999999999999998e+29 — and every number here is promised exact.
 */
export const MAX_EXACT_COUNT = Number.MAX_SAFE_INTEGER;

/** One quantity, as the message names it, and its value: `['its parameters', 156]`. */
export type Count = readonly [quantity: string, value: number];

/**
 * The first quantity beyond 2^53 − 1, as a message naming the node, the quantity and its size;
 * undefined when every count is exact.
 */
export function inexactCount(title: string, counts: readonly Count[]): string | undefined {
  const found = counts.find(([, value]) => !(Math.abs(value) <= MAX_EXACT_COUNT));
  if (found === undefined) return undefined;
  const [quantity, value] = found;
  return (
    `${title}: ${quantity} would be about ${approximately(value)}, beyond ` +
    `2^53 − 1 = ${formatCount(MAX_EXACT_COUNT)}, the largest count NN Builder computes exactly ` +
    '(no real network comes near it). Use smaller sizes.'
  );
}

/** Totals over all layers stay exact too: the layer at which a running total passes 2^53 − 1. */
export function inexactTotal(
  layers: readonly {
    readonly id: string;
    readonly type: string;
    readonly params: number;
    readonly buffers: number;
    readonly macs: number;
    readonly activationBytes: number;
    readonly paramBytes: number;
  }[],
): Diagnostic | undefined {
  // Bytes are 4 per float32 value (8 for an int64 counter): exact while the values are.
  const totals = {
    parameters: 0,
    buffers: 0,
    MACs: 0,
    'activations (float32 values)': 0,
    'weights in memory (float32 values)': 0,
  };
  for (const layer of layers) {
    totals.parameters += layer.params;
    totals.buffers += layer.buffers;
    totals.MACs += layer.macs;
    if (layer.type !== 'Input') totals['activations (float32 values)'] += layer.activationBytes / 4;
    totals['weights in memory (float32 values)'] += layer.paramBytes / 4;
    const message = inexactCount(
      `${layer.type} "${layer.id}"`,
      Object.entries(totals).map(([q, v]): Count => [`the network's ${q} up to this layer`, v]),
    );
    if (message !== undefined)
      return { severity: 'error', code: 'too-large', node: layer.id, message };
  }
  return undefined;
}

function approximately(value: number): string {
  return Number.isFinite(value) ? value.toPrecision(3).replace('e+', '·10^') : String(value);
}
