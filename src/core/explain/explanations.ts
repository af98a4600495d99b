import { ELEMENTWISE_EXPLANATIONS } from './catalog/elementwise.js';
import { SPATIAL_EXPLANATIONS } from './catalog/spatial.js';
import { STRUCTURE_EXPLANATIONS } from './catalog/structure.js';
import type { LayerExplanation } from './LayerExplanation.js';

/** Every layer type's explanation, by type name (the registry test checks none is missing). */
export const EXPLANATIONS: Readonly<Record<string, LayerExplanation>> = {
  ...SPATIAL_EXPLANATIONS,
  ...ELEMENTWISE_EXPLANATIONS,
  ...STRUCTURE_EXPLANATIONS,
};

/** The explanation of a layer type, or undefined for an unknown type. */
export function explanationOf(type: string): LayerExplanation | undefined {
  return Object.hasOwn(EXPLANATIONS, type) ? EXPLANATIONS[type] : undefined;
}
