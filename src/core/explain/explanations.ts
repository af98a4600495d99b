import { ELEMENTWISE_EXPLANATIONS } from './catalog/elementwise.js';
import { SPATIAL_EXPLANATIONS } from './catalog/spatial.js';
import { STRUCTURE_EXPLANATIONS } from './catalog/structure.js';
import type { BlockType, LayerType } from '../layers/registry.js';
import type { LayerExplanation } from './LayerExplanation.js';

/** Every registry type's explanation, by type name: a type without one is a compile error. */
export const EXPLANATIONS: { readonly [T in LayerType | BlockType]: LayerExplanation } = {
  ...SPATIAL_EXPLANATIONS,
  ...ELEMENTWISE_EXPLANATIONS,
  ...STRUCTURE_EXPLANATIONS,
};

/** The explanation of a layer type, or undefined for an unknown type. */
export function explanationOf(type: string): LayerExplanation | undefined {
  const byName: Readonly<Record<string, LayerExplanation>> = EXPLANATIONS;
  return Object.hasOwn(byName, type) ? byName[type] : undefined;
}
