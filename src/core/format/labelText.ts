import type { Pair } from '../shape.js';

/**
 * Label text shared by the layer definitions' `keyParams` and `chip` rules, in the notation of
 * papers and PyTorch reprs: a size always in full (`5×5`, `2×` where null keeps an axis), a step
 * once when both axes agree (`2`, `2×1`).
 */
export const sizeText = (v: readonly (number | null)[]): string => v.join('×');
export const stepText = (v: Pair): string => (v[0] === v[1] ? String(v[0]) : v.join('×'));

/** `label value` for each entry whose value is not the one that goes without saying. */
export function extras(entries: readonly (readonly [string, string, string])[]): string[] {
  return entries.filter(([, value, silent]) => value !== silent).map(([l, v]) => `${l} ${v}`);
}
