import type { GraphEdge, GraphNode, ParamValue } from '../graph/document.js';
import type { Category } from '../layers/LayerDefinition.js';
import type { ParamSpecs, ResolvedParams } from '../params/paramSpec.js';
import type { Shape } from '../shape.js';

/** The id inner edges use for the block's own input. */
export const BLOCK_INPUT = '@input';

/** A composite block expanded into primitive layers; ids are local to the block. */
export interface BlockExpansion {
  readonly nodes: readonly GraphNode[];
  /** Edges between inner nodes; `source: "@input"` is the block's input. */
  readonly edges: readonly GraphEdge[];
  /** The inner node whose output is the block's output. */
  readonly output: string;
}

/** A composite block (ResidualBlock, Bottleneck): a small graph of primitives built from params. */
export interface BlockDefinition<S extends ParamSpecs = ParamSpecs, T extends string = string> {
  readonly kind: 'block';
  readonly type: T;
  readonly category: Category;
  /** Stem of new node ids (`conv` → conv1, conv2), PyTorch-attribute style; default: the type, lowercased. */
  readonly idStem?: string;
  /** Values for the required params of a newly dropped node, so it is valid at once. */
  readonly starter?: Readonly<Record<string, ParamValue>>;
  readonly summary: string;
  readonly explanation: string;
  readonly params: S;
  readonly inputs: { readonly min: 1; readonly max: 1 };
  /** The line under the type on a canvas node (`128 ch · s 2`); see LayerDefinition.keyParams. */
  keyParams?(params: ResolvedParams<S>): string;
  /** Builds the inner graph for these params and this input (e.g. a projection when channels change). */
  expand(params: ResolvedParams<S>, input: Shape): BlockExpansion;
}

export function defineBlock<const S extends ParamSpecs, const T extends string>(
  definition: Omit<BlockDefinition<S, T>, 'kind'>,
): BlockDefinition<S, T> {
  return { kind: 'block', ...definition };
}
