/** The `*.nnb.json` graph document (see docs/graph-format.md). */

export const GRAPH_FORMAT = 'nnb-graph';
export const GRAPH_VERSION = 2;

/** Any JSON value a parameter may hold: ints, floats, strings, booleans, null and arrays of them. */
export type ParamValue = number | string | boolean | null | readonly ParamValue[];

export interface GraphNode {
  /** Unique within the graph; also the node's name in summaries and exports. */
  readonly id: string;
  /** A type from the layer catalog, e.g. `Conv2d`. */
  readonly type: string;
  /** `torch.nn` argument names; omitted ones take PyTorch's defaults. */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** `false` freezes the node: its parameters count as non-trainable. */
  readonly trainable?: boolean;
  /** Positions, colours and other editor state; the analysis ignores it. */
  readonly ui?: unknown;
  readonly [extra: string]: unknown;
}

export interface GraphEdge {
  readonly source: string;
  readonly target: string;
  /** Input slot of the target, 0-based; order matters for Concat. Defaults to 0. */
  readonly targetPort?: number;
  readonly [extra: string]: unknown;
}

export interface GraphDocument {
  readonly format: typeof GRAPH_FORMAT;
  readonly version: number;
  readonly name?: string;
  readonly description?: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly ui?: unknown;
  /** Design targets (`{"params": {"max": 60000}}`), since version 2: see core/budgets/budgets.ts. */
  readonly budgets?: unknown;
  readonly [extra: string]: unknown;
}

/** A minimal empty graph, the start of every new document. */
export function emptyGraph(name = 'Untitled'): GraphDocument {
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, name, nodes: [], edges: [] };
}
