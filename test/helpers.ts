import { analyze, type GraphAnalysis, type NodeAnalysis } from '../src/core/analysis/analyze.js';
import type {
  GraphDocument,
  GraphEdge,
  GraphNode,
  ParamValue,
} from '../src/core/graph/document.js';

type NodeSpec = readonly [id: string, type: string, params?: Record<string, ParamValue>];

/** A graph document from node specs and `a->b` / `a->b:1` edge strings. */
export function graph(nodes: readonly NodeSpec[], edges: readonly string[]): GraphDocument {
  return {
    format: 'nnb-graph',
    version: 1,
    nodes: nodes.map(([id, type, params]): GraphNode => ({ id, type, ...(params && { params }) })),
    edges: edges.map((e): GraphEdge => {
      const [source = '', rest = ''] = e.split('->');
      const [target = '', port] = rest.split(':');
      return { source, target, ...(port !== undefined && { targetPort: Number(port) }) };
    }),
  };
}

/** Input of `shape` followed by `layers` in a chain; ids are the given ones. */
export function chain(shape: readonly number[], ...layers: readonly NodeSpec[]): GraphDocument {
  const ids = ['input', ...layers.map((l) => l[0])];
  return graph(
    [['input', 'Input', { shape: [...shape] }], ...layers],
    ids.slice(1).map((id, i) => `${ids[i]}->${id}`),
  );
}

/** Analyzes and returns the node `id` (failing loudly when it is missing). */
export function nodeOf(a: GraphAnalysis, id: string): NodeAnalysis {
  const n = a.nodes.get(id);
  if (n === undefined) throw new Error(`no node ${id} in analysis`);
  return n;
}

/** The analysis of the last layer of a chain. */
export function last(
  shape: readonly number[],
  ...layers: readonly NodeSpec[]
): NodeAnalysis & { all: GraphAnalysis } {
  const all = analyze(chain(shape, ...layers));
  const id = layers.at(-1)?.[0] ?? 'input';
  return { ...nodeOf(all, id), all };
}

export const codes = (a: GraphAnalysis): string[] => a.diagnostics.map((d) => d.code);
