import type { BlockDefinition } from '../blocks/BlockDefinition.js';
import type { ParamSpecs } from '../params/paramSpec.js';
import { Conv2d } from './Conv2d.js';
import { Input } from './Input.js';
import type { LayerDefinition } from './LayerDefinition.js';

/** Anything a node's `type` can name: a primitive layer or a composite block. */
export type NodeDefinition = LayerDefinition<ParamSpecs> | BlockDefinition<ParamSpecs>;

/** The layer catalog, in palette order. Adding a layer: write `layers/<Type>.ts`, list it here. */
export const NODE_DEFINITIONS: readonly NodeDefinition[] = [
  Input,
  Conv2d,
] as unknown as readonly NodeDefinition[];

const byType = new Map(NODE_DEFINITIONS.map((d) => [d.type, d]));

/** The definition of a node type, or undefined for an unknown type. */
export function getDefinition(type: string): NodeDefinition | undefined {
  return byType.get(type);
}

export const NODE_TYPES: readonly string[] = NODE_DEFINITIONS.map((d) => d.type);
